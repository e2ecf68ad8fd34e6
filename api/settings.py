"""Settings of the HTTP service, read from the environment (prefix ``WANGGE_``)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "change-me-wangge-development-secret"


class ApiSettings(BaseSettings):
    """How the API runs. ``WANGGE_PRODUCTION=1`` refuses the default secret."""

    model_config = SettingsConfigDict(env_prefix="WANGGE_", extra="ignore")

    production: bool = False
    secret_key: str = DEFAULT_SECRET
    token_minutes: int = 480
    max_body_bytes: int = 5_000_000
    tile_cache_mb: int = 64
    cors_origins: list[str] = []
