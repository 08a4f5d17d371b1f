"""Sessions that remember which of their keys a request read.

The page cache (portal.middleware) serves a page whole to a visitor with a session too, where
the page is the same for them: it stores each page with the keys its rendering read (the
comparison tray of its section, the fit profile, nothing at all for most) and serves it to
every visitor whose session holds the same values for those keys. Set as SESSION_ENGINE.

Sessions are kept in the database and read through the cache (Django's cached_db): a visitor
with a session costs the page cache one more cache read, not a query; with the cache down they
are read from the database.
"""

from typing import Any

from django.contrib.sessions.backends import cached_db

EVERY_KEY = "*"


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self.keys_read: set[str] = set()

    def __contains__(self, key: object) -> bool:
        self.keys_read.add(str(key))
        return super().__contains__(key)

    def __getitem__(self, key: str) -> Any:
        self.keys_read.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.keys_read.add(key)
        return super().get(key, default)

    def pop(self, key: str, *args: Any) -> Any:
        self.keys_read.add(key)
        return super().pop(key, *args)

    def setdefault(self, key: str, value: Any = None) -> Any:
        self.keys_read.add(key)
        return super().setdefault(key, value)

    def keys(self) -> Any:
        self.keys_read.add(EVERY_KEY)
        return super().keys()

    def values(self) -> Any:
        self.keys_read.add(EVERY_KEY)
        return super().values()

    def items(self) -> Any:
        self.keys_read.add(EVERY_KEY)
        return super().items()

    def peek(self, key: str) -> Any:
        """The value of `key`, not counted as read by the page (for the cache's own lookup)."""
        return self._session.get(key)  # type: ignore[attr-defined]  # SessionBase's cache
