"""Fit: does a reader's background meet what a program states it requires?

A reader describes themselves once on the fit page (`/fit/`): role, bachelor's field and GPA,
experience, programming, statistics, the GRE, budget, pace and formats. That profile lives in
the query string (so a fit can be shared) and in the session (so every list and program page
can show it). It is read and checked by `ProfileForm`; bad values are reported on the form.

`fit(program, profile)` (programs.fit.rules) checks each requirement against the program's
*reported* facts only, one `FitLine` per requirement with the fact (and so the source) it rests
on, and sums them up in one of four verdicts (programs.fit.verdicts):

- "meets the stated requirements";
- "meets them with a bridge course";
- "does not meet: <requirement, and what would close the gap>";
- "unknown: the program does not report <which>".

A known gap outweighs an unknown, and an unknown outweighs a bridge course. A question the
reader left blank is not checked and does not change the verdict.
"""

from programs.fit.forms import ProfileForm
from programs.fit.profile import SESSION_KEY, Profile
from programs.fit.rules import RULES, best_fit_first, fit, verdict_counts, with_fit
from programs.fit.verdicts import VERDICT_CHOICES, VERDICTS, Fit, FitLine, Status

__all__ = [
    "RULES",
    "SESSION_KEY",
    "VERDICTS",
    "VERDICT_CHOICES",
    "Fit",
    "FitLine",
    "Profile",
    "ProfileForm",
    "Status",
    "best_fit_first",
    "fit",
    "verdict_counts",
    "with_fit",
]
