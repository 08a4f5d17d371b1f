"""Site-wide guards of the admin: every changelist and add form loads, with a fixed number of
queries however many rows it lists."""

import itertools

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion import add_meta, create_revision, set_user

from careers.models import (
    EligibilityPathway,
    EmployerType,
    IssuingBody,
    ProgramCareer,
    Skill,
    StatePay,
)
from core.models import Correction, ImportRecord, Statistic
from programs.models import Accreditation, Accreditor, Course, FieldOfStudy, Representative
from reviews.models import ReviewReply
from tests.factories import (
    cite,
    make_career,
    make_certification,
    make_program,
    make_review,
    make_source,
    make_specialization,
)

pytestmark = pytest.mark.django_db

REGISTERED = list(admin.site._registry)
ids = itertools.count()


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def populate(rows, django_user_model):
    """`rows` of every model the admin lists, each with the relations its list shows."""
    for _ in range(rows):
        n = next(ids)
        source = make_source()
        field = FieldOfStudy.objects.create(name=f"Field {n}", slug=f"field-{n}")
        program = make_program(
            credits=30, specializations=[make_specialization(f"Area {n}")], field_of_study=field
        )
        cite(program, "credits", source)
        Course.objects.create(program=program, title=f"Course {n}")
        accreditor = Accreditor.objects.create(
            name=f"Body {n}", slug=f"body-{n}", scope="programmatic"
        )
        Accreditation.objects.create(
            accreditor=accreditor, program=program, verified_on="2026-01-01"
        )
        Accreditation.objects.create(
            accreditor=accreditor, institution=program.institution, verified_on="2026-01-01"
        )
        statistic = Statistic.objects.create(
            label="Figure", slug=f"figure-{n}", value=1, unit="percent"
        )
        cite(statistic, "value", source)
        skill = Skill.objects.create(name=f"Skill {n}", slug=f"skill-{n}")
        employer = EmployerType.objects.create(name=f"Employer {n}", slug=f"employer-{n}")
        career = make_career(skills=[skill], employer_types=[employer], median_salary=1)
        career.fields_of_study.add(field)
        cite(career, "median_salary", source)
        cite(
            StatePay.objects.create(career=career, state="Ohio", median_salary=1),
            "median_salary",
            source,
        )
        ProgramCareer.objects.create(program=program, career=career)
        body = IssuingBody.objects.create(name=f"Issuer {n}", slug=f"issuer-{n}")
        certification = make_certification(issuing_body=body, total_fee=1)
        certification.skills.add(skill)
        cite(certification, "total_fee", source)
        EligibilityPathway.objects.create(certification=certification, minimum_education="none")
        review = make_review(program, status="pending")
        review.report("spam", reporter=f"reader {n}")
        make_review(program).report("false", reporter=f"reader {n}")
        user = django_user_model.objects.create_user(f"user{n}", f"u{n}@example.org", "x")
        group = Group.objects.create(name=f"Group {n}")
        group.permissions.add(Permission.objects.first())
        user.groups.add(group)
        visit = {"username": f"user{n}", "ip_address": "192.0.2.1", "user_agent": "test"}
        AccessAttempt.objects.create(**visit, failures_since_start=1)
        AccessLog.objects.create(**visit)
        AccessFailureLog.objects.create(**visit, locked_out=False)
        with create_revision():  # an import, as the admin and the command record one
            set_user(user)
            program.save()
            add_meta(ImportRecord, file_name=f"import-{n}.csv")
        Correction.objects.create(
            entry=program, field="credits", value="36", source_url="https://example.edu/p"
        )
        Representative.objects.create(institution=program.institution, email=f"r{n}@example.edu")
        ReviewReply.objects.create(review=review, body="A reply from the program, long enough.")


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_every_admin_changelist_and_add_form_loads(admin_client, model, rf):
    make_program()
    assert admin_client.get(changelist_url(model)).status_code == 200
    add = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    request = rf.get(add)
    request.user = admin_client.get(changelist_url(model)).wsgi_request.user
    if admin.site._registry[model].has_add_permission(request):
        assert admin_client.get(add).status_code == 200
    else:
        # Reviews come only from visitors, through the public form.
        assert admin_client.get(add).status_code == 403


@pytest.mark.usefixtures("warm_content_types")
def test_changelists_run_no_query_per_row(admin_client, django_user_model):
    def queries_per_changelist():
        counts = {}
        for model in REGISTERED:
            with CaptureQueriesContext(connection) as queries:
                response = admin_client.get(changelist_url(model))
            assert response.status_code == 200, model
            counts[model] = (len(queries), len(response.context["cl"].result_list))
        return counts

    populate(1, django_user_model)
    few = queries_per_changelist()
    populate(6, django_user_model)
    many = queries_per_changelist()
    for model in REGISTERED:
        # The rows are there: a list of none would need no query per row either.
        assert many[model][1] >= 7, f"{model._meta.label} lists {many[model][1]} rows"
        assert many[model][0] == few[model][0], f"{model._meta.label}: a query per row"
