"""Settings read from the environment (prefix HCPCS_) with embedded defaults."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HCPCS_")

    database_url: str = "sqlite:///hcpcs.db"
    # Largest ZIP member or spreadsheet part read; CMS's biggest is ~4 MB. Reading
    # a text member takes about ten times its size in memory.
    max_member_bytes: int = 32 * 1024 * 1024

    # What one GraphQL request may ask; see the README's table of limits.
    max_depth: int = 12
    max_aliases: int = 20
    max_tokens: int = 2000
    max_cost: int = 5000
    max_body_bytes: int = 64 * 1024
    introspection: bool = True
    # Debug mode shows unexpected errors' messages to clients; never in production.
    debug: bool = False
    # Answers that took at least answer_cache_min_ms to compute are kept until
    # the next load, up to answer_cache_mb in all; 0 MB turns the cache off.
    answer_cache_mb: int = 32
    answer_cache_min_ms: float = 5.0
    # Browser origins allowed to call the API; none means CORS stays off.
    cors_origins: list[str] = []


@lru_cache
def get_settings() -> Settings:
    return Settings()
