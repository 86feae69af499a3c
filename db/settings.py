"""Settings read from the environment (prefix HCPCS_) with embedded defaults."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HCPCS_")

    database_url: str = "sqlite:///hcpcs.db"
    # Largest member of a release ZIP that will be inflated; CMS's biggest is ~4 MB.
    max_member_bytes: int = 200 * 1024 * 1024


@lru_cache
def get_settings() -> Settings:
    return Settings()
