"""Which county a request is about: one rule for the API, the command line and the services.

In order: the county the caller names; else the county of the caller's scope (the first six
digits of a township, village or grid code); else the only county loaded. A named county
outside the caller's scope is refused; with no county loaded, or several and none named,
the caller is told to load one or to name it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from core.errors import Forbidden, InvalidRequest, NotFound

COUNTY_DIGITS = 6


def county_of(code: str) -> str:
    """The county code an area code (county, township, village or grid) lies in."""
    return code[:COUNTY_DIGITS]


def choose_county(
    *,
    loaded: Sequence[str] | Callable[[], Sequence[str]],
    requested: str | None = None,
    scope: str | None = None,
) -> str:
    """The county to work on, given the ``loaded`` county codes (or a function that reads
    them, called only when neither a county nor a scope decides), the ``requested`` code (or
    None) and the caller's area ``scope`` (a code prefix, None when unrestricted).

    Raises :class:`~core.errors.Forbidden` for a requested county outside the scope,
    :class:`~core.errors.NotFound` when none is named and no county is loaded, and
    :class:`~core.errors.InvalidRequest` when none is named and several are loaded.
    """
    if requested:
        if scope and county_of(scope) != requested:
            raise Forbidden(
                f"县 {requested} 不在您的权限范围 {scope} 内 / "
                f"county {requested} is outside the scope {scope}"
            )
        return requested
    if scope:
        return county_of(scope)
    if callable(loaded):
        loaded = loaded()
    if not loaded:
        raise NotFound(
            "尚未载入任何县：请先运行 `wangge demo` 或 `wangge load admin-units` / "
            "no county loaded yet: run `wangge demo` or `wangge load admin-units`"
        )
    if len(loaded) > 1:
        codes = sorted(loaded)
        raise InvalidRequest(
            f"已载入多个县（{'、'.join(codes)}），请指明县代码 / "
            f"several counties are loaded ({', '.join(codes)}): name the county code"
        )
    return loaded[0]
