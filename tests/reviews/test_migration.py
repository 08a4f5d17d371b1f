"""Reviews moved from the programs app to their own: a database holding reviews keeps them."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

LAST_BEFORE_THE_MOVE = ("programs", "0006_review_confirmation_key_unique")


@pytest.mark.django_db(transaction=True)
def test_a_database_holding_reviews_keeps_them_after_the_move():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([LAST_BEFORE_THE_MOVE, ("reviews", None)])
    old = executor.loader.project_state([LAST_BEFORE_THE_MOVE]).apps
    institution = old.get_model("programs", "Institution").objects.create(name="U", slug="u")
    program = old.get_model("programs", "Program").objects.create(
        institution=institution,
        title="Moved MS",
        slug="moved-ms",
        status="published",
        published_at=timezone.now() - datetime.timedelta(days=1),
    )
    review = old.get_model("programs", "Review").objects.create(
        program=program,
        rating=5,
        title="Survives the move",
        body="b" * 100,
        graduation_year=2024,
        would_recommend=True,
        display_name="Ana",
        email="ana@example.org",
        relationship="none",
        status="approved",
        text_fingerprint="f",
        confirmation_key="key-before-the-move",
    )
    old.get_model("programs", "ModerationEvent").objects.create(review=review, status="approved")
    old.get_model("programs", "ReviewReport").objects.create(
        review=review, reason="spam", reporter="reader"
    )
    # The moderators' permission, as the roles migration gave it (on the programs app).
    moderators, _ = old.get_model("auth", "Group").objects.get_or_create(name="Moderators")
    moderators.permissions.add(
        old.get_model("auth", "Permission").objects.get(
            content_type__app_label="programs", codename="moderate_review"
        )
    )

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType

    from reviews.models import Review

    moved = Review.objects.get(confirmation_key="key-before-the-move")
    assert (moved.title, moved.program.title) == ("Survives the move", "Moved MS")
    assert [event.status for event in moved.events.all()] == ["approved"]
    assert [report.reason for report in moved.reports.all()] == ["spam"]
    content_type = ContentType.objects.get_for_model(Review)
    assert content_type.app_label == "reviews"
    assert not ContentType.objects.filter(app_label="programs", model="review").exists()
    # The moderators keep their permission on the moved model.
    moderators = Group.objects.get(name="Moderators")
    assert moderators.permissions.filter(
        content_type=content_type, codename="moderate_review"
    ).exists()
