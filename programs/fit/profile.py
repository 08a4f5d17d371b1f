"""The reader's profile: what they say of themselves on the fit page, kept in the query
string (so a fit can be shared) and in the session (so every list and program page can show
it). `ProfileForm` (programs.fit.forms) reads and checks it."""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.http import QueryDict

from programs.fit.forms import ProfileForm

SESSION_KEY = "fit_profile"


@dataclass(frozen=True)
class Profile:
    role: str = ""
    bachelor_field: str = ""
    gpa: Decimal | None = None
    experience: int | None = None
    programming: str = ""
    statistics: str = ""
    gre: str = ""
    budget: Decimal | None = None
    pace: str = ""
    formats: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "formats", tuple(self.formats))

    def __bool__(self):
        return any(value not in ("", None, [], ()) for value in self.as_data().values())

    def as_data(self):
        return {
            "role": self.role,
            "bachelor_field": self.bachelor_field,
            "gpa": "" if self.gpa is None else str(self.gpa),
            "experience": "" if self.experience is None else str(self.experience),
            "programming": self.programming,
            "statistics": self.statistics,
            "gre": self.gre,
            "budget": "" if self.budget is None else str(self.budget),
            "pace": self.pace,
            "formats": list(self.formats),
        }

    def query_string(self):
        """The profile as the fit page's query string (for sharing, and the session)."""
        pairs = []
        for name, value in self.as_data().items():
            for one in value if isinstance(value, list) else [value]:
                if one != "":
                    pairs.append((name, one))
        return urlencode(pairs)

    @classmethod
    def from_query(cls, query):
        """(profile, form) from a query string or QueryDict; bad values stay on the form."""
        form = ProfileForm(query)
        form.is_valid()
        return Profile(
            **{
                name: value
                for name, value in form.cleaned_data.items()
                if value not in ("", None, [])
            }
        ), form

    @classmethod
    def from_session(cls, session):
        """The profile the reader last saved, or an empty one."""
        stored = session.get(SESSION_KEY)
        if not stored:
            return cls()
        return cls.from_query(QueryDict(stored))[0]

    def save(self, session):
        if self:
            session[SESSION_KEY] = self.query_string()
        else:
            session.pop(SESSION_KEY, None)

    def label(self, name):
        """How an answer reads back, e.g. "Registered nurse (RN)"."""
        choices = dict(ProfileForm.base_fields[name].choices)
        return choices.get(getattr(self, name), "")
