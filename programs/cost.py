"""What a program costs, from its reported facts only: the cost chart, the fit's budget rule
and the payback (careers.payback) read it."""

from dataclasses import dataclass, field
from decimal import Decimal

from core.facts import FactKind, format_value


@dataclass
class ProgramCost:
    """A program's cost from its reported facts (`program_cost`)."""

    currency: str
    tuition: Decimal | None = None
    tuition_how: str = ""  # "$1,200 per credit times 36 credits" when computed
    tuition_facts: list = field(default_factory=list)
    fees: Decimal | None = None
    fees_fact: object = None
    missing: list = field(default_factory=list)

    @property
    def known(self) -> bool:
        return self.tuition is not None

    @property
    def total(self) -> Decimal | None:
        return None if self.tuition is None else self.tuition + (self.fees or 0)

    def text(self, value: Decimal | None) -> str:
        return format_value(value, FactKind.MONEY, self.currency)


def program_cost(program) -> ProgramCost:
    """What `program` costs (programs.models.Program), from its reported facts only.

    Tuition is the total where reported, else the rate per credit times the credits to
    graduate (both reported). Fees count where reported. Returns a ProgramCost: its parts,
    each with the facts it rests on, the total, and what is missing for a total.
    """
    total_fact = program.fact("tuition_total")
    rate, credits = program.fact("tuition_per_credit"), program.fact("credits")
    fees = program.fact("fees_total")
    if total_fact.reported:
        tuition, how, facts = program.tuition_total, "", [total_fact]
    elif rate.reported and credits.reported:
        tuition = program.tuition_per_credit * program.credits
        how = f"{rate.text} per credit × {credits.text} credits"
        facts = [rate, credits]
    elif rate.reported:
        return ProgramCost(currency=program.currency, missing=["credits to graduate"])
    else:
        return ProgramCost(currency=program.currency, missing=["total tuition"])
    return ProgramCost(
        currency=program.currency,
        tuition=tuition,
        tuition_how=how,
        tuition_facts=facts,
        fees=program.fees_total if fees.reported else None,
        fees_fact=fees if fees.reported else None,
    )
