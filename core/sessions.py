"""Sessions that remember which of their keys a request read.

The page cache (portal.middleware) serves a page whole to a visitor with a session too, where
the page is the same for them: it stores each page with the keys its rendering read (the
comparison tray of its section, the fit profile, nothing at all for most) and serves it to
every visitor whose session holds the same values for those keys. Set as SESSION_ENGINE.

Sessions are kept in the database and read through the cache (Django's cached_db): a visitor
with a session costs the page cache one more cache read, not a query; with the cache down they
are read from the database.
"""

from django.contrib.sessions.backends import cached_db

EVERY_KEY = "*"


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None) -> None:
        super().__init__(session_key)
        self.keys_read = set()

    def __contains__(self, key) -> bool:
        self.keys_read.add(key)
        return super().__contains__(key)

    def __getitem__(self, key):
        self.keys_read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.keys_read.add(key)
        return super().get(key, default)

    def pop(self, key, *args):
        self.keys_read.add(key)
        return super().pop(key, *args)

    def setdefault(self, key, value):
        self.keys_read.add(key)
        return super().setdefault(key, value)

    def keys(self):
        self.keys_read.add(EVERY_KEY)
        return super().keys()

    def values(self):
        self.keys_read.add(EVERY_KEY)
        return super().values()

    def items(self):
        self.keys_read.add(EVERY_KEY)
        return super().items()

    def peek(self, key):
        """The value of `key`, not counted as read by the page (for the cache's own lookup)."""
        return self._session.get(key)
