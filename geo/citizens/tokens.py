"""Secrets handed to the public: follow-up tokens and partner API keys, stored only hashed.

Both are 192 random bits, so a plain SHA-256 is enough to store them (a slow password hash
protects guessable secrets; these cannot be guessed), and lookups by hash stay one index probe.
"""

from __future__ import annotations

import hashlib
import secrets

FOLLOW_TOKEN_BYTES = 24
API_KEY_BYTES = 24
API_KEY_PREFIX = "wg_"


def new_follow_token() -> str:
    """A fresh, unguessable follow-up token (URL-safe text)."""
    return secrets.token_urlsafe(FOLLOW_TOKEN_BYTES)


def new_api_key() -> str:
    """A fresh partner API key (``wg_`` and URL-safe text)."""
    return API_KEY_PREFIX + secrets.token_urlsafe(API_KEY_BYTES)


def secret_hash(secret: str) -> str:
    """The hex SHA-256 under which a token or key is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_case_number(day) -> str:
    """A case number for a public report: ``QZ`` (群众), the day, six random digits."""
    return f"QZ{day:%Y%m%d}{secrets.randbelow(10**6):06d}"
