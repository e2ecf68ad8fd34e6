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


SECRET_FILE_NAME = "secret_key"


def instance_secret(settings: DatabaseSettings | None = None) -> str:
    """The token-signing secret kept with this instance: ``<data_dir>/secret_key``, made with
    32 random bytes (mode 0600) the first time it is asked for and read back afterwards."""
    import os
    import secrets

    settings = settings or DatabaseSettings()
    path = settings.data_dir / SECRET_FILE_NAME
    if not path.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{SECRET_FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
        try:
            # a hard link fails when the name exists: of two processes starting together,
            # the first to link wins and both read its secret
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return read_secret_file(path)


def read_secret_file(path: Path) -> str:
    """The secret stored in ``path`` (surrounding whitespace removed)."""
    return path.read_text(encoding="utf-8").strip()
