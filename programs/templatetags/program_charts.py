"""Charts of a program's page: what it costs, and how long it takes at each pace."""

from django import template

from core.charts import Row, bars
from programs.cost import program_cost

register = template.Library()


def note(context, fact):
    notes = context.get("notes")
    return notes.number(fact.citation) if notes is not None and fact.reported else None


@register.simple_tag(takes_context=True)
def cost_chart(context, program):
    """Tuition, reported fees and their total as bars; None without a reported tuition."""
    cost = program_cost(program)
    if not cost.known:
        return None
    rows = [
        Row(
            "Tuition" + (f" ({cost.tuition_how})" if cost.tuition_how else ""),
            float(cost.tuition),
            cost.text(cost.tuition),
            note(context, cost.tuition_facts[0]),
        )
    ]
    if cost.fees is not None:
        rows.append(
            Row(
                "Required fees",
                float(cost.fees),
                cost.text(cost.fees),
                note(context, cost.fees_fact),
            )
        )
        rows.append(Row("Total", float(cost.total), cost.text(cost.total)))
    summary = f"Cost: {cost.text(cost.total)} in all" + (
        f": tuition {cost.text(cost.tuition)} and fees {cost.text(cost.fees)}."
        if cost.fees
        else "."
    )
    return bars(f"cost-{program.pk}", "What it costs, as reported", summary, rows, soft={"Total"})


@register.simple_tag(takes_context=True)
def pace_chart(context, program):
    """Months to finish at each pace the program reports; None if it reports none."""
    rows = []
    for name, label in (
        ("months_accelerated", "Accelerated"),
        ("months_full_time", "Full-time"),
        ("months_part_time", "Part-time"),
    ):
        fact = program.fact(name)
        if fact.reported:
            rows.append(Row(label, float(fact.value), fact.text, note(context, fact)))
    if not rows:
        return None
    summary = (
        "Time to finish: " + "; ".join(f"{row.label.lower()} {row.text}" for row in rows) + "."
    )
    return bars(f"pace-{program.pk}", "Time to finish at each pace", summary, rows)
