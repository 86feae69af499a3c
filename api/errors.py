"""Errors a client may see: each says what was wrong with the request."""

# What a client sees of an unexpected error; the server logs it with the request id.
MASKED_MESSAGE = "Internal error; quote the request id to the operator."


class UserError(Exception):
    """A problem with the query's arguments; its message is shown to the client."""


class InvalidDate(UserError, ValueError):
    def __init__(self, value: object):
        super().__init__(f"{value!r} is not a date in the form YYYY-MM-DD")


class BadCursor(UserError):
    def __init__(self, argument: str = "after"):
        super().__init__(
            f"`{argument}` is not a cursor this API issued; "
            "pass an endCursor or edge cursor from an earlier page"
        )


class PageTooLarge(UserError):
    def __init__(self, first: int, limit: int):
        super().__init__(f"`first` must be at most {limit}; got {first}")


class NegativePage(UserError):
    def __init__(self, first: int):
        super().__init__(f"`first` must not be negative; got {first}")


class UnknownReleaseLabel(UserError):
    def __init__(self, label: str, known: list[str]):
        listed = ", ".join(known) if known else "none are loaded"
        super().__init__(f"release {label!r} is not loaded (loaded: {listed})")
