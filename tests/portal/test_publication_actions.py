"""Publish, unpublish and schedule selected entries of every kind, from the admin's lists."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from careers.models import Career, Certification
from programs.models import Program
from tests.factories import make_career, make_certification, make_program

pytestmark = pytest.mark.django_db

KINDS = [
    (Program, lambda **f: make_program(**f)),
    (Career, lambda **f: make_career(**f)),
    (Certification, lambda **f: make_certification(**f)),
]


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def act(client, model, action, entries, **extra):
    data = {"action": action, "_selected_action": [e.pk for e in entries], **extra}
    return client.post(changelist(model), data, follow=True)


@pytest.mark.parametrize(("model", "make"), KINDS, ids=lambda k: getattr(k, "__name__", ""))
def test_publish_and_unpublish_selected_entries(admin_client, model, make):
    drafts = [make(status="draft", published_at=None) for _ in range(2)]
    other = make(status="draft", published_at=None)

    response = act(admin_client, model, "publish_now", drafts)

    assert "2 entries published now." in [str(m) for m in response.context["messages"]]
    for entry in drafts:
        entry.refresh_from_db()
        assert entry.is_public
        assert admin_client.get(entry.get_absolute_url()).status_code == 200
        # Each change is in the entry's history, by whom it was made.
        assert Version.objects.get_for_object(entry).first().revision.user.username == "admin"
    other.refresh_from_db()
    assert other.status == "draft"

    response = act(admin_client, model, "unpublish", drafts[:1])
    assert "1 entry made drafts again." in [str(m) for m in response.context["messages"]]
    drafts[0].refresh_from_db()
    assert not drafts[0].is_public


def test_schedule_asks_for_a_time_to_come_then_schedules(admin_client, client):
    entries = [make_program(status="draft", published_at=None) for _ in range(2)]

    page = act(admin_client, Program, "schedule", entries)
    assert "These 2 entries will be published at the time you choose" in page.content.decode()

    past = {"apply": "yes", "published_at_0": "2020-01-01", "published_at_1": "10:00"}
    refused = act(admin_client, Program, "schedule", entries, **past)
    assert "Choose a time to come" in refused.content.decode()
    assert all(e.status == "draft" for e in Program.objects.all())

    bad = {"apply": "yes", "published_at_0": "soon", "published_at_1": "10:00"}
    page = act(admin_client, Program, "schedule", entries, **bad).content.decode()
    assert "Enter a valid date." in page
    assert 'value="soon"' in page  # what the editor typed, kept

    when = timezone.localtime() + datetime.timedelta(days=2)
    later = {
        "apply": "yes",
        "published_at_0": when.strftime("%Y-%m-%d"),
        "published_at_1": when.strftime("%H:%M:00"),
    }
    response = act(admin_client, Program, "schedule", entries, **later)

    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("2 entries scheduled for") for m in messages), messages
    for entry in entries:
        entry.refresh_from_db()
        assert entry.status == "published" and entry.published_at > timezone.now()
        assert client.get(entry.get_absolute_url()).status_code == 404


def test_staff_who_may_only_view_cannot_publish(client, django_user_model):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_program"))
    client.force_login(viewer)
    entry = make_program(status="draft", published_at=None)

    response = act(client, Program, "publish_now", [entry])

    assert "entries published now" not in response.content.decode()
    assert "publish_now" not in response.content.decode()  # not offered either
    entry.refresh_from_db()
    assert entry.status == "draft"
    assert not entry.is_public
