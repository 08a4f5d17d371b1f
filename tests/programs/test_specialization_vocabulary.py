"""A controlled vocabulary of specializations: editors merge near-duplicates in the admin with
every program's link moved and nothing lost; the shipped catalogue holds at most 25, each
described; the list's filter shows the most used first and the rest behind "more"."""

import pytest
from django.contrib.admin import helpers
from django.urls import reverse
from reversion.models import Version

from programs.models import Program, Specialization
from tests.factories import make_program, make_specialization

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:programs_specialization_changelist")


def test_merging_moves_every_program_and_deletes_the_others(admin_client):
    keep = make_specialization("Health informatics")
    twin = make_specialization("Health Informatics (HI)")
    track = make_specialization("Health Informatics track")
    both = make_program(title="In both", specializations=[keep, twin])
    only_twin = make_program(title="Only the twin", specializations=[twin])
    only_track = make_program(title="Only the track", specializations=[track])
    chosen = {helpers.ACTION_CHECKBOX_NAME: [keep.pk, twin.pk, track.pk], "action": "merge"}
    page = admin_client.post(CHANGELIST, chosen)
    assert "Merge them into" in page.content.decode()
    assert Specialization.objects.count() == 3  # nothing happens before the choice
    admin_client.post(CHANGELIST, {**chosen, "apply": "yes", "into": keep.pk})
    assert list(Specialization.objects.values_list("name", flat=True)) == ["Health informatics"]
    assert sorted(p.title for p in keep.programs.all()) == [
        "In both",
        "Only the track",
        "Only the twin",
    ]
    assert both.specializations.count() == 1
    # Each moved program's history records the change, so it can be looked up and undone.
    for program in (only_twin, only_track):
        assert Version.objects.get_for_object(program).exists()


def test_the_filter_shows_the_most_used_first_and_the_rest_behind_more(client):
    names = [f"Area {n:02}" for n in range(12)]
    areas = [make_specialization(name) for name in names]
    for n, area in enumerate(areas):
        for _ in range(n % 4 + (5 if n == 11 else 0)):
            make_program(specializations=[area])
    content = client.get(reverse("programs:list")).content.decode()
    first = content.index('name="specialization"')
    more = content.index("More specializations", first)
    # The most used (Area 11: 8 programs) comes first; the unused are not offered at all.
    assert content.index("Area 11", first) < content.index("Area 03", first) < more
    shown = content[first:more].count('name="specialization"')
    assert shown == 8
    assert "Area 00" not in content  # no program
    assert Program.objects.count() > 0


def test_the_shipped_catalogue_has_at_most_25_described_specializations():
    import openpyxl

    from portal.catalogue import SHIPPED as WORKBOOK

    sheet = openpyxl.load_workbook(WORKBOOK, read_only=True)["Specializations"]
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert 0 < len(rows) <= 25
    assert all(description and len(description) > 40 for _, _, description in rows)
    slugs = {slug for slug, _, _ in rows}
    programs = openpyxl.load_workbook(WORKBOOK, read_only=True)["Programs"]
    header = next(programs.iter_rows(max_row=1, values_only=True))
    column = header.index("specializations")
    used = {
        slug.strip()
        for row in programs.iter_rows(min_row=2, values_only=True)
        for slug in (row[column] or "").split(",")
        if slug.strip()
    }
    assert used <= slugs
