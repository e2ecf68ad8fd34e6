"""The version board: layer versions and accounts held in memory, kept current by
PostgreSQL LISTEN/NOTIFY, so that a cached tile or a token check needs no query.

Each server process runs one :class:`VersionBoard`, whose listener thread holds one connection
LISTENing on ``wangge_versions`` (triggers of migration 0017_version_notify announce every bump
of ``layer_version`` and every change of an ``app_user`` row when the writer commits). On
(re)connecting it LISTENs first and reads every layer version after, so no change between the
two is missed. While the connection is down the board is not :attr:`~VersionBoard.live`: readers
ask the database as before, and the thread tries again every ``retry_seconds``.

Accounts are cached only as read from the database by a request, and dropped on their notice.
A read that started before a notice is not stored after it (the board's generation moved on).
Account changes made in this process are dropped at their commit, without waiting for the notice,
so a logout answered by this process holds for its very next request.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Iterable
from typing import Any

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, object_session

from geo.database.schema_auth import AppUser

CHANNEL = "wangge_versions"
APPLICATION_NAME = "wangge version board"
_ANNOUNCED = (
    "SELECT count(*) = 2 FROM pg_trigger "
    "WHERE tgname IN ('layer_version_notifies', 'app_user_notifies')"
)
_log = logging.getLogger(__name__)
_boards: weakref.WeakSet[VersionBoard] = weakref.WeakSet()


def libpq_url(url: str) -> str:
    """A SQLAlchemy database URL as a libpq connection string for psycopg."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class VersionBoard:
    """Layer versions and account rows of one process, current while :attr:`live`."""

    def __init__(self, url: str, *, retry_seconds: float = 1.0, check_seconds: float = 5.0):
        self._conninfo = libpq_url(url)
        self.retry_seconds = retry_seconds
        self.check_seconds = check_seconds
        self.wake_seconds = 0.25  # how often the thread looks up to see whether to stop
        self.unannounced_seconds = 30.0
        self._lock = threading.Lock()
        self._layers: dict[str, int] = {}
        self._accounts: dict[str, Any] = {}
        self._generation = 0
        self._live = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- readers (request threads) ------------------------------------------------------------

    @property
    def live(self) -> bool:
        """True while the listener is connected and the board follows every notice."""
        return self._live.is_set()

    def layer_version(self, layer: str) -> int | None:
        """The layer's version, or None when the board is not live (ask the database)."""
        if not self._live.is_set():
            return None
        return self._layers.get(layer)

    def account(self, username: str) -> Any | None:
        """The account row last read for ``username``, or None (not cached, or not live)."""
        if not self._live.is_set():
            return None
        return self._accounts.get(username)

    def ticket(self) -> int:
        """The generation now: take it before reading an account from the database."""
        return self._generation

    def remember_account(self, username: str, row: Any, ticket: int) -> None:
        """Keep ``row`` for ``username`` unless a notice arrived since ``ticket`` was taken."""
        with self._lock:
            if self._live.is_set() and self._generation == ticket:
                self._accounts[username] = row

    def forget_accounts(self, usernames: Iterable[str] | None = None) -> None:
        """Drop the named accounts (every account for None) and move the generation on."""
        with self._lock:
            self._generation += 1
            if usernames is None:
                self._accounts.clear()
            else:
                for name in usernames:
                    self._accounts.pop(name, None)

    # --- the listener thread ------------------------------------------------------------------

    def start(self) -> VersionBoard:
        """Start the listener thread (returns at once; see :meth:`wait_live`)."""
        _boards.add(self)
        self._thread = threading.Thread(target=self._run, name="wangge-versions", daemon=True)
        self._thread.start()
        return self

    def wait_live(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the board to be live; whether it is."""
        return self._live.wait(timeout)

    def stop(self) -> None:
        """Stop the listener and close its connection."""
        self._stop.set()
        self._go_dark()
        if self._thread is not None:
            self._thread.join(timeout=10)
        _boards.discard(self)

    def _go_dark(self) -> None:
        with self._lock:
            self._live.clear()
            self._generation += 1
            self._accounts.clear()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(
                    self._conninfo, autocommit=True, application_name=APPLICATION_NAME
                ) as connection:
                    self._listen(connection)
            except Exception as exc:  # a dropped or refused connection: fall back, retry
                if not self._stop.is_set():
                    _log.warning("version board offline, retrying: %s", exc)
            finally:
                self._go_dark()
            self._stop.wait(self.retry_seconds)

    def _listen(self, connection: psycopg.Connection) -> None:
        if not connection.execute(_ANNOUNCED).fetchone()[0]:
            # a database migrated before 0017_version_notify sends no notices: stay dark
            _log.warning("no change notices in this database (run `wangge db migrate`)")
            self._stop.wait(self.unannounced_seconds)
            return
        connection.execute(f"LISTEN {CHANNEL}")
        rows = connection.execute("SELECT layer, version FROM layer_version").fetchall()
        with self._lock:
            self._layers = {layer: int(version) for layer, version in rows}
            self._generation += 1
            self._accounts.clear()
            self._live.set()
        quiet = 0.0
        while not self._stop.is_set():
            heard = False
            for notice in connection.notifies(timeout=self.wake_seconds):
                heard = True
                self._apply(notice.payload)
            quiet = 0.0 if heard else quiet + self.wake_seconds
            if quiet >= self.check_seconds:
                connection.execute("SELECT 1")  # a dead connection raises here
                quiet = 0.0

    def _apply(self, payload: str) -> None:
        kind, _, rest = payload.partition(":")
        if kind == "layer":
            layer, _, version = rest.rpartition(":")
            with self._lock:  # notices arrive in commit order: the last one is current
                self._layers[layer] = int(version)
        elif kind == "account":
            self.forget_accounts([rest])
        else:
            self.forget_accounts()


# --- account changes made in this process, dropped at their commit ------------------------------

_TOUCHED = "wangge_accounts_touched"


@event.listens_for(AppUser, "after_update")
@event.listens_for(AppUser, "after_delete")
def _account_written(mapper, connection, target: AppUser) -> None:
    session = object_session(target)
    if session is not None:
        session.info.setdefault(_TOUCHED, set()).add(target.username)


@event.listens_for(Session, "after_commit")
def _accounts_committed(session: Session) -> None:
    touched = session.info.pop(_TOUCHED, None)
    if touched:
        for board in list(_boards):
            board.forget_accounts(touched)


@event.listens_for(Session, "after_rollback")
def _accounts_rolled_back(session: Session) -> None:
    session.info.pop(_TOUCHED, None)
