"""Charts of the career pages: a role's pay range, and job growth across roles."""

from django import template

from core.charts import Row, bars, range_bar

register = template.Library()


def row(context, career, name, label):
    fact = career.fact(name)
    if not fact.reported:
        return None
    notes = context.get("notes")
    number = notes.number(fact.citation) if notes is not None else None
    return Row(label, float(fact.value), fact.text, number)


@register.simple_tag(takes_context=True)
def pay_chart(context, career):
    """The pay range (low and high as reported, the median marked); None without a median
    and at least one end of the range."""
    median = row(context, career, "median_salary", "Median")
    low = row(context, career, "salary_low", "Low end")
    high = row(context, career, "salary_high", "High end")
    if median is None:
        return None
    parts = [f"{r.label.lower()} {r.text}" for r in (low, median, high) if r is not None]
    return range_bar(
        f"pay-{career.pk}",
        "Annual pay, as reported",
        "Pay: " + "; ".join(parts) + ".",
        low,
        median,
        high,
    )


@register.simple_tag(takes_context=True)
def growth_chart(context, careers):
    """Projected job growth of each role on the page that reports it, as bars."""
    rows = [r for r in (row(context, c, "growth_percent", c.title) for c in careers) if r]
    rows.sort(key=lambda r: -r.value)
    if not rows:
        return None
    summary = "Projected job growth: " + "; ".join(f"{r.label} {r.text}" for r in rows) + "."
    return bars("growth", "Projected job growth, by role (each over its own period)", summary, rows)
