"""Database settings, read from the environment when asked for (never at import)."""

from __future__ import annotations

import zlib
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class DatabaseSettings(BaseSettings):
    """Where the data lives.

    ``DATABASE_URL`` names an existing PostGIS server; without it wangge runs its own
    cluster under ``WANGGE_DATA_DIR`` (default ``.data/`` in the checkout) on a port
    derived from that path, so two checkouts on one machine never collide.
    """

    model_config = SettingsConfigDict(env_prefix="WANGGE_", extra="ignore")

    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    data_dir: Path = PROJECT_ROOT / ".data"
    pg_port: int | None = None
    db_name: str = "wangge"

    def embedded_port(self) -> int:
        """The embedded cluster's TCP port: explicit, or stable per data directory."""
        if self.pg_port:
            return self.pg_port
        return 20000 + zlib.crc32(str(self.data_dir.resolve()).encode()) % 20000
