"""Text from every channel is isolated: a title or a name that editors imported or typed is
shown inside <bdi>, as reviewers' text is, so right-to-left text or a stray control cannot
reorder the portal's own words around it."""

import datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client

from careers.models import EmployerType, IssuingBody, ProgramCareer, Skill
from core.models import Statistic
from programs.models import Accreditation, Accreditor, Course
from tests.factories import (
    cite,
    make_career,
    make_certification,
    make_institution,
    make_program,
    make_source,
    make_specialization,
)

pytestmark = pytest.mark.django_db

MARK = "Qzx"
# Where markup cannot go: the text of these elements is shown as it is.
PLAIN_TEXT_ELEMENTS = {"title", "option", "textarea", "script", "style"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr", "path", "rect", "line", "circle", "use"}


class MarkedText(HTMLParser):
    """Every piece of text holding MARK, with the elements open around it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open, self.found = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data):
        if MARK in data:
            self.found.append((tuple(self.open), data.strip()))


def unisolated(content):
    parser = MarkedText()
    parser.feed(content)
    return [
        (around[-3:], text)
        for around, text in parser.found
        if "bdi" not in around and not PLAIN_TEXT_ELEMENTS & set(around)
    ]


@pytest.fixture
def marked():
    """Entries whose every editor-given name carries MARK, linked to each other."""
    source = make_source(title=f"{MARK} admissions page", publisher=f"{MARK} University")
    university = make_institution(name=f"{MARK} University", slug="marked-u", state="Ohio")
    accreditor = Accreditor.objects.create(
        name=f"{MARK} Commission", abbreviation=f"{MARK}C", slug="marked-commission"
    )
    Accreditation.objects.create(
        accreditor=accreditor, institution=university, verified_on=datetime.date(2026, 11, 1)
    )
    area = make_specialization(f"{MARK} imaging")
    program = make_program(
        institution=university,
        title=f"MS in {MARK} Health AI",
        slug="marked-ms",
        specializations=[area],
        tuition_total=Decimal(30000),
        application_deadline=datetime.date(2099, 1, 15),
    )
    other = make_program(title=f"MS in {MARK} Informatics", slug="marked-other")
    for field in ("tuition_total", "application_deadline", "specializations"):
        cite(program, field, source)
    Course.objects.create(program=program, title=f"{MARK} for clinicians", position=1)
    skill = Skill.objects.create(name=f"{MARK} modelling", slug="marked-skill")
    employer = EmployerType.objects.create(name=f"{MARK} hospitals", slug="marked-employer")
    career = make_career(
        title=f"{MARK} data analyst",
        slug="marked-career",
        skills=[skill],
        employer_types=[employer],
    )
    ProgramCareer.objects.create(program=program, career=career)
    body = IssuingBody.objects.create(name=f"{MARK} Association", slug="marked-body")
    certification = make_certification(
        name=f"Certified {MARK} Analyst", acronym=f"C{MARK}A", issuing_body=body
    )
    certification.programs.add(program)
    certification.careers.add(career)
    statistic = Statistic.objects.create(
        label=f"{MARK} market", slug="marked", value=Decimal(10), unit="usd_billion"
    )
    statistic.on_home_page = True
    statistic.save()
    cite(statistic, "value", source)
    return program, other, career, certification


def addresses(program, other, career, certification):
    return [
        "/",
        "/about/",
        "/programs/",
        f"/programs/?specialization={program.specializations.get().slug}",
        program.get_absolute_url(),
        f"/programs/{program.slug}/reviews/new/",
        f"/programs/{program.slug}/payback/",
        f"/programs/compare/?p={program.slug}&p={other.slug}",
        f"/programs/compare/payback/?p={program.slug}&p={other.slug}",
        "/institutions/marked-u/",
        f"/search/?q={MARK}",
        f"/search/?q={MARK}&kind=courses",
        "/fit/?role=rn&gpa=3.5",
        "/careers/",
        career.get_absolute_url(),
        f"/careers/compare/?c={career.slug}&c={career.slug}",
        "/certifications/",
        certification.get_absolute_url(),
        f"/certifications/compare/?c={certification.slug}",
    ]


def test_every_name_an_editor_gave_is_shown_isolated(client, marked):
    for address in addresses(*marked):
        response = client.get(address)
        assert response.status_code == 200, address
        assert MARK in response.content.decode(), address
        assert unisolated(response.content.decode()) == [], address


def test_the_tray_and_its_messages_isolate_the_names_they_show(marked):
    program, _, _, _ = marked
    visitor = Client()
    visitor.post("/compare/tray/", {"kind": "programs", "slug": program.slug, "action": "add"})
    page = visitor.get("/programs/").content.decode()
    assert f"Added “<bdi>MS in {MARK} Health AI" in page
    assert unisolated(page) == []
