"""A fit: one line per requirement, summed up in one of four verdicts, best first."""

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    MEETS = "meets"
    BRIDGE = "bridge"
    GAP = "gap"
    UNKNOWN = "unknown"
    NOT_CHECKED = "not_checked"

    @property
    def word(self):
        return {
            "meets": "Meets",
            "bridge": "With a bridge course",
            "gap": "Does not meet",
            "unknown": "Unknown",
            "not_checked": "Not checked",
        }[self]


# The verdicts, best first: the order the list sorts by fit.
VERDICTS = {
    Status.MEETS: "meets the stated requirements",
    Status.BRIDGE: "meets them with a bridge course",
    Status.UNKNOWN: "unknown",
    Status.GAP: "does not meet",
}
VERDICT_CHOICES = [
    (Status.MEETS.value, "Meets the stated requirements"),
    (Status.BRIDGE.value, "Meets them with a bridge course"),
    (Status.UNKNOWN.value, "Unknown: the program does not report something"),
    (Status.GAP.value, "Does not meet"),
]


@dataclass(frozen=True)
class FitLine:
    """One requirement checked: what it is, how the reader stands, and the fact it rests on
    (its `citation` is the source; none when the program does not report it)."""

    requirement: str
    status: Status
    text: str
    fact: object = None  # core.facts.FactValue
    missing: str = ""  # for an unknown: the fact the program does not report

    @property
    def citation(self):
        return getattr(self.fact, "citation", None)


@dataclass
class Fit:
    lines: list = field(default_factory=list)

    @property
    def status(self):
        found = {line.status for line in self.lines}
        for status in (Status.GAP, Status.UNKNOWN, Status.BRIDGE):
            if status in found:
                return status
        return Status.MEETS

    @property
    def rank(self):
        """Best fit first: by verdict, then fewer gaps, then fewer unknowns."""
        counts = [line.status for line in self.lines]
        return (
            list(VERDICTS).index(self.status),
            counts.count(Status.GAP),
            counts.count(Status.UNKNOWN),
        )

    @property
    def headline(self):
        """The verdict's first words: "Meets the stated requirements", "Does not meet"…"""
        return VERDICTS[self.status][0].upper() + VERDICTS[self.status][1:]

    @property
    def detail(self):
        """What the verdict rests on: the gaps and what closes them, or what is not reported."""
        if self.status == Status.GAP:
            return "; ".join(line.text for line in self.lines if line.status == Status.GAP)
        if self.status == Status.UNKNOWN:
            missing = [line.missing for line in self.lines if line.status == Status.UNKNOWN]
            return "the program does not report " + join_words(missing)
        return ""

    @property
    def aging(self):
        """The requirements whose source may no longer hold (its date, or its page's last
        reading, older than settings.STALE_AFTER_MONTHS), as "requirement (2016–17 figure)"."""
        aged = []
        for line in self.lines:
            label = line.citation.age_label() if line.citation is not None else ""
            if label:
                aged.append(f"{line.requirement.lower()} ({label.split(';')[0]})")
        return aged

    @property
    def verdict(self):
        """The verdict in one sentence, e.g. "does not meet: a GPA of at least 3.00 (…)"."""
        detail = self.detail
        return f"{VERDICTS[self.status]}: {detail}" if detail else VERDICTS[self.status]


def join_words(words):
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def gpa_text(value):
    return f"{value:.2f}"
