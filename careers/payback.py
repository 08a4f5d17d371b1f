"""Payback: what a program costs a reader, and how long the career it leads to takes to
repay it.

Inputs are the reader's (current salary, pace, employer tuition assistance per year, a target
career); every other figure is a reported, sourced fact: the program's tuition and fees (or
its rate per credit times its credits), its time to finish at the pace, the career's median
pay and its low and high. A figure that is not reported is never guessed: the result says
"cannot be computed" and names what is missing.

The arithmetic (the page /about/fit-and-payback/ says the same in words):

    years studying        = months to finish at the pace / 12
    assistance            = assistance per year * years studying, at most the total cost
    out of pocket         = total cost - assistance
    salary given up       = current salary * years studying, full-time; none part-time
    investment            = out of pocket + salary given up
    yearly gain           = expected salary - current salary     (low, median, high)
    payback, in years     = investment / yearly gain, counted from graduation
    difference, 10 years  = yearly gain * (10 - years studying) - investment

No taxes, raises, interest or inflation: the result says so.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django import forms

from careers.models import US_STATES
from core.facts import format_money
from core.forms import dollars_field
from core.models import Statistic, prefetch_citations
from programs.cost import program_cost
from programs.fit.choices import PACES

TAX_FREE_LIMIT = "us-tax-free-educational-assistance"
HORIZON_YEARS = 10
LEVELS = ("low", "median", "high")


def tax_free_limit():
    """The US tax-free limit on employer educational assistance, as a sourced figure (or
    None where the site does not hold it)."""

    return (
        Statistic.objects.prefetch_related(prefetch_citations()).filter(slug=TAX_FREE_LIMIT).first()
    )


class PaybackForm(forms.Form):
    salary = dollars_field(
        "Your current yearly salary (US$)",
        78000,
        "A salary",
        missing="Enter your current yearly salary, such as 78000.",
    )
    pace = forms.ChoiceField(
        label="Pace", choices=PACES, initial="part_time", widget=forms.RadioSelect
    )
    assistance = dollars_field(
        "Employer tuition assistance per year (US$)",
        5250,
        "Assistance",
        help_text="Leave empty or 0 if your employer pays nothing.",
    )
    career = forms.ChoiceField(label="Target career")
    state = forms.ChoiceField(
        label="Where you will work",
        required=False,
        choices=[("", "The United States as a whole")] + [(s, s) for s in US_STATES],
        help_text="The career's pay in that state, where BLS publishes it; national otherwise.",
    )

    def __init__(self, *args, careers=(), other_careers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if careers:
            choices.append(("Careers this program leads to", [(c.slug, c.title) for c in careers]))
        if other_careers:
            label = "Other careers on this site" if careers else "Careers on this site"
            choices.append((label, [(c.slug, c.title) for c in other_careers]))
        self.fields["career"].choices = choices
        self.careers = {c.slug: c for c in [*careers, *other_careers]}
        self.leads_to = list(careers)

    def chosen_career(self):
        return self.careers.get(self.cleaned_data.get("career"))


def whole(amount):
    return amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)


@dataclass
class Level:
    """One level of the result (low, median or high): what the career pays, and what follows."""

    name: str
    expected: Decimal | None = None
    expected_fact: object = None
    gain: Decimal | None = None
    payback_years: Decimal | None = None
    difference: Decimal | None = None
    missing: str = ""  # the figure not reported, when this level cannot be computed

    @property
    def computed(self):
        return self.expected is not None

    @property
    def never_pays_back(self):
        return self.computed and self.gain <= 0

    def money(self, amount):
        return format_money(whole(amount))

    @property
    def expected_text(self):
        return self.money(self.expected) if self.computed else "not reported"

    @property
    def gain_text(self):
        if not self.computed:
            return f"cannot be computed: {self.missing}"
        sign = "−" if self.gain < 0 else "+"
        return f"{sign}{self.money(abs(self.gain))} a year"

    @property
    def payback_text(self):
        if not self.computed:
            return f"cannot be computed: {self.missing}"
        if self.never_pays_back:
            return "never: this pay is not above your current salary"
        return f"{self.payback_years:.1f} years after graduating"

    @property
    def difference_text(self):
        if not self.computed:
            return f"cannot be computed: {self.missing}"
        sign = "−" if self.difference < 0 else "+"
        return f"{sign}{self.money(abs(self.difference))}"


@dataclass
class Payback:
    """The cost and payback of one program for one reader (see the module's arithmetic)."""

    program: object
    career: object
    salary: Decimal
    pace: str
    assistance_per_year: Decimal
    missing: list = field(default_factory=list)  # figures not reported: nothing computed
    cost: object = None  # programs.models.ProgramCost
    months_fact: object = None
    years: Decimal | None = None
    assistance: Decimal | None = None
    out_of_pocket: Decimal | None = None
    forgone: Decimal | None = None
    investment: Decimal | None = None
    levels: list = field(default_factory=list)
    state: str = ""  # the state whose pay is used ("" for national)
    state_missing: str = ""  # why the national pay is used for a state asked for

    @property
    def computed(self):
        return not self.missing

    @property
    def reason(self):
        return "cannot be computed: " + "; ".join(self.missing)

    @property
    def pace_word(self):
        return dict(PACES)[self.pace].split(",")[0].lower()

    def money(self, amount):
        return format_money(whole(amount))

    def level(self, name):
        return next(level for level in self.levels if level.name == name)

    @property
    def salary_text(self):
        return self.money(self.salary)

    @property
    def median(self):
        return self.level("median")

    @property
    def total_text(self):
        return self.money(self.cost.total)

    @property
    def investment_text(self):
        return self.money(self.investment)

    def aging(self):
        """The figures the result relies on that may no longer hold: "label: 2016–17 figure;
        may have changed", so the reader is told before trusting the result."""
        relied = [(row.label, row.citation) for row in self.rows() if row.citation]
        relied += [
            (f"{level.name.capitalize()} salary", level.expected_fact.citation)
            for level in self.levels
            if level.expected_fact is not None
        ]
        return [
            f"{label}: {citation.age_label()}"
            for label, citation in relied
            if citation is not None and citation.age_label()
        ]

    @property
    def years_text(self):
        return f"{self.years:.2f}".rstrip("0").rstrip(".")

    def rows(self):
        """The cost, figure by figure: (label, value, citation, how), the totals marked."""
        cost = self.cost
        found = [Row(fact.label, fact.text, fact.citation) for fact in cost.tuition_facts]
        if cost.tuition_how:
            found.append(Row("Tuition", cost.text(cost.tuition), how=cost.tuition_how))
        if cost.fees_fact:
            found.append(Row("Fees", cost.fees_fact.text, cost.fees_fact.citation))
        else:
            found.append(Row("Fees", "not reported", how="Counted as none."))
        found += [
            Row("Total cost", self.money(cost.total), how="Tuition and reported fees.", total=True),
            Row(
                f"Time to finish {self.pace_word}",
                self.months_fact.text,
                self.months_fact.citation,
            ),
            Row(
                "Employer assistance",
                "−" + self.money(self.assistance),
                how=f"{self.money(self.assistance_per_year)} a year × {self.years_text} years, "
                "at most the total cost (your figure).",
            ),
            Row("Out of pocket", self.money(self.out_of_pocket), how="Total cost − assistance."),
            Row(
                "Salary given up while studying",
                self.money(self.forgone),
                how=(
                    f"{self.money(self.salary)} a year × {self.years_text} years (your salary)."
                    if self.pace == "full_time"
                    else "None: part-time, you keep working."
                ),
            ),
            Row(
                "What you put in",
                self.money(self.investment),
                how="Out of pocket + salary given up.",
                total=True,
            ),
        ]
        return found


@dataclass
class Row:
    label: str
    value: str
    citation: object = None
    how: str = ""
    total: bool = False

    @property
    def age(self):
        return self.citation.age_label() if self.citation is not None else ""


def work_out(program, career, salary, pace, assistance_per_year=Decimal(0), state=""):
    """The Payback of `program` towards `career` for a reader earning `salary`, at the
    career's pay in `state` where BLS publishes its median there, national pay otherwise."""
    result = Payback(program, career, salary, pace, assistance_per_year or Decimal(0))
    pay = career
    if state:
        in_state = career.pay_in(state)
        if in_state is not None and in_state.fact("median_salary").reported:
            pay, result.state = in_state, state
        else:
            result.state_missing = (
                f"BLS publishes no median pay for this occupation in {state}: national pay is used."
            )
    result.cost = program_cost(program)
    result.months_fact = program.fact(f"months_{pace}")
    median = pay.fact("median_salary")
    if not result.cost.known:
        result.missing.append("the program does not report its " + " or ".join(result.cost.missing))
    if not result.months_fact.reported:
        result.missing.append(f"the program does not report its time to finish {result.pace_word}")
    if not median.reported:
        result.missing.append("the career's median salary is not reported")
    if result.cost.known and result.cost.currency != "USD":
        result.missing.append(
            f"the program reports its cost in {result.cost.currency}, and the portal does not "
            "convert currencies"
        )
    if median.reported and career.currency != "USD":
        result.missing.append(
            f"the career's pay is in {career.currency}, and the portal does not convert currencies"
        )
    if result.missing:
        return result

    total = result.cost.total
    result.years = Decimal(program.fact(f"months_{pace}").value) / 12
    result.assistance = min(result.assistance_per_year * result.years, total)
    result.out_of_pocket = total - result.assistance
    result.forgone = salary * result.years if pace == "full_time" else Decimal(0)
    result.investment = result.out_of_pocket + result.forgone
    facts = {
        "low": pay.fact("salary_low"),
        "median": median,
        "high": pay.fact("salary_high"),
    }
    for name in LEVELS:
        fact = facts[name]
        if not fact.reported:
            result.levels.append(Level(name, missing=f"the career's {name} salary is not reported"))
            continue
        gain = fact.value - salary
        level = Level(name, expected=fact.value, expected_fact=fact, gain=gain)
        if gain > 0:
            level.payback_years = result.investment / gain
        level.difference = gain * (HORIZON_YEARS - result.years) - result.investment
        result.levels.append(level)
    return result
