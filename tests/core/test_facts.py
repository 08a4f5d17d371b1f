"""Facts declared once: what a declaration must name, and what is built from it."""

import pytest
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.core.management import call_command

from careers.models import Career, Certification
from core.checks import check_fact_declarations
from core.facts import Fact, FactKind, Facts, Group, format_value
from core.models import Citation, Statistic
from programs.models import Program

pytestmark = pytest.mark.django_db

DECLARING = [Program, Career, Certification, Statistic]


def test_a_declaration_naming_a_field_that_does_not_exist_fails_the_check(monkeypatch):
    assert check_fact_declarations() == []
    renamed = Facts(
        *Program.facts.groups,
        Group("Renamed", "renamed", (Fact("tuition", FactKind.MONEY),)),
    )
    monkeypatch.setattr(Program, "facts", renamed)
    errors = check_fact_declarations()
    assert [error.id for error in errors] == ["core.E001"]
    assert "programs.Program declares the fact “tuition”" in errors[0].msg


def test_a_fact_shown_by_a_missing_attribute_fails_the_check(monkeypatch):
    broken = Facts(Group("G", "g", (Fact("soc_code", FactKind.TEXT, show="occupation_text"),)))
    monkeypatch.setattr(Career, "facts", broken)
    assert [error.id for error in check_fact_declarations()] == ["core.E002"]


def test_every_citation_names_a_sourced_fact_of_its_model():
    call_command("load_demo", verbosity=0)
    call_command("make_synthetic", programs=12, verbosity=0)
    citations = Citation.objects.select_related("content_type")
    assert citations.count() > 50
    for citation in citations:
        model = citation.content_type.model_class()
        assert citation.field in model.sourced_fields, (model, citation.field)


@pytest.mark.parametrize("model", [Program, Career, Certification])
def test_the_admin_lets_editors_fill_in_every_field_of_an_entry(model):
    model_admin = admin.site._registry[model]
    shown = set(flatten_fieldsets(model_admin.fieldsets))
    editable = {
        field.name
        for field in model._meta.get_fields()
        if field.concrete
        and field.editable
        and not field.auto_created
        # A link with its own model (a note on it) is edited inline, not as a field.
        and not (field.many_to_many and not field.remote_field.through._meta.auto_created)
    }
    generated = {"created_at", "updated_at", "review_count", "review_average", "shortest_months"}
    assert editable - generated - shown == set()
    # Every declared fact has its place in the admin, in the declared order.
    facts = [fact.name for fact in model.facts]
    in_admin = [name for name in flatten_fieldsets(model_admin.fieldsets) if name in facts]
    assert in_admin == facts


@pytest.mark.parametrize(
    ("value", "kind", "high", "text"),
    [
        (45000, FactKind.MONEY, None, "$45,000"),
        (51, FactKind.MONEY_BILLIONS, None, "$51 billion"),
        (1, FactKind.MONTHS, None, "1 month"),
        (24, FactKind.MONTHS, 36, "24 to 36 months"),
        (40, FactKind.PERCENT, 45, "40% to 45%"),
        (3, FactKind.GPA, None, "3.0"),
    ],
)
def test_one_formatter_for_every_number(value, kind, high, text):
    assert format_value(value, kind, high=high) == text
