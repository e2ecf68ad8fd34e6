"""Settings of the HTTP service, read from the environment (prefix ``WANGGE_``).

The token-signing secret comes from ``WANGGE_SECRET_KEY``, else from the file named by
``WANGGE_SECRET_FILE`` (a Docker secret), else from the instance's own random secret kept in
``.data/secret_key`` (:func:`geo.database.settings.instance_secret`). There is no default in
the code: a secret anyone can read in the source would let anyone sign tokens.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

from pydantic import field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ProxyNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class ApiSettings(BaseSettings):
    """How the API runs. ``WANGGE_PRODUCTION=1`` refuses a weak secret and demo accounts."""

    model_config = SettingsConfigDict(env_prefix="WANGGE_", extra="ignore")

    production: bool = False
    secret_key: str = ""
    secret_file: Path | None = None
    token_minutes: int = 480
    max_body_bytes: int = 5_000_000
    tile_cache_mb: int = 64
    # database connections per server process: a few, so that under load requests queue here
    # (in order) rather than as dozens of queries sharing the database's cores
    db_pool_size: int = 4
    db_pool_overflow: int = 4
    # origins allowed to call the API from a browser page elsewhere: comma-separated or a JSON list
    cors_origins: Annotated[tuple[str, ...], NoDecode] = ()
    # addresses (or networks) of the reverse proxies whose X-Forwarded-For is believed,
    # comma-separated: "10.20.0.5,10.20.1.0/24"; empty = believe no forwarded header
    trusted_proxies: Annotated[tuple[ProxyNetwork, ...], NoDecode] = ()

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _parse_origins(cls, value):
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                import json

                return tuple(json.loads(text))
            return tuple(part.strip() for part in text.split(",") if part.strip())
        return tuple(value)

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _parse_proxies(cls, value):
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        try:
            return tuple(ipaddress.ip_network(part, strict=False) for part in value)
        except ValueError as exc:
            raise ValueError(
                f"WANGGE_TRUSTED_PROXIES 须为逗号分隔的地址或网段 must be comma-separated "
                f"addresses or networks: {exc}"
            ) from exc

    @model_validator(mode="after")
    def _find_secret(self) -> ApiSettings:
        if self.secret_key:
            return self
        if self.secret_file is not None:
            from geo.database.settings import read_secret_file

            try:
                self.secret_key = read_secret_file(self.secret_file)
            except OSError as exc:
                raise ValueError(
                    f"无法读取密钥文件 cannot read WANGGE_SECRET_FILE {self.secret_file}: {exc}"
                ) from exc
            return self
        from geo.database.settings import instance_secret

        self.secret_key = instance_secret()
        return self

    def is_trusted_proxy(self, address: str | None) -> bool:
        """True when ``address`` is one of the configured reverse proxies."""
        if not address or not self.trusted_proxies:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.trusted_proxies)
