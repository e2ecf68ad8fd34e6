"""``wangge apikey``: Open311 keys of partner systems (the 12345 hotline, the provincial app).

``add NAME`` prints the new key once (only its hash is stored), ``list`` shows every key with
its prefix, when it was issued and last used, and whether it is revoked; ``revoke NAME``
stops it at once.
"""

from __future__ import annotations

import typer

from api.cli.common import in_transaction, info


def register(app: typer.Typer) -> None:
    """Add the ``apikey`` command group to ``app``."""
    from geo.citizens import apikeys

    key_app = typer.Typer(help="Open311 API keys for partner systems (stored hashed).")
    app.add_typer(key_app, name="apikey")

    @key_app.command("add")
    def add(name: str = typer.Argument(..., help="partner name (letters, digits, _ . @ -)")):
        """Issue a key for a partner; the key is printed once, on stdout."""
        issued: list[str] = []
        in_transaction(lambda s: issued.append(apikeys.add_key(session=s, name=name)[1]))
        info(f"key for {name} issued; it is shown only now, keep it safe 密钥只显示这一次")
        typer.echo(issued[0])

    @key_app.command("list")
    def list_() -> None:
        """Every key: name, prefix, issued, last used, state."""
        rows: list[dict] = []
        in_transaction(lambda s: rows.extend(apikeys.list_keys(session=s)))
        for row in rows:
            state = "revoked" if row["revoked_at"] else "active"
            used = row["last_used_at"].isoformat(timespec="minutes") if row["last_used_at"] else "-"
            issued = row["created_at"].isoformat(timespec="minutes")
            typer.echo(f"{row['name']}\t{row['key_prefix']}…\t{issued}\t{used}\t{state}")

    @key_app.command("revoke")
    def revoke(name: str = typer.Argument(..., help="the partner whose key to revoke")):
        """Revoke a partner's key: it stops working on the next request."""
        in_transaction(lambda s: apikeys.revoke_key(session=s, name=name))
        info(f"key of {name} revoked")
