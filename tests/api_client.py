"""An in-process HTTP client of the app, shared by the API test packages."""

import anyio
import httpx
from starlette.applications import Starlette


class ApiClient:
    """Sends HTTP requests to the app in-process, through httpx's ASGI transport."""

    def __init__(self, app: Starlette):
        self.app = app

    def request(self, method: str, url: str = "/graphql", **options) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://testserver"
            ) as http:
                return await http.request(method, url, **options)

        return anyio.run(send)

    def get(self, url: str, **options) -> httpx.Response:
        return self.request("GET", url, **options)

    def post(self, query: str, **variables) -> httpx.Response:
        return self.request("POST", json={"query": query, "variables": variables})

    def execute(self, query: str, **variables) -> dict:
        """The whole JSON answer to a GraphQL query: data and errors."""
        response = self.post(query, **variables)
        assert response.status_code == 200, response.text
        return response.json()

    def data(self, query: str, **variables) -> dict:
        """The data of a query that must succeed."""
        answer = self.execute(query, **variables)
        assert "errors" not in answer, answer["errors"]
        return answer["data"]
