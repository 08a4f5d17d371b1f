from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import ratelimit
from core.cache import cached, public_or_preview, whole_page
from core.facts import months_before, period_text
from core.listing import listing_context
from programs import reminders
from programs.calendar import deadlines_calendar, upcoming
from programs.filters import ProgramFilter
from programs.fit import (
    VERDICTS,
    Profile,
    ProfileForm,
    best_fit_first,
    fit,
    verdict_counts,
    with_fit,
)
from programs.forms import LinkRequestForm, ProposalForm, ReminderForm
from programs.models import DeadlineReminder, Institution, Program, Representative
from programs.representatives import domain_of, representative_from, send_link
from programs.structured import institution_data, program_data


@whole_page(ProgramFilter.query_params)
def program_list(request: HttpRequest) -> HttpResponse:
    profile = Profile.from_session(request.session)
    programs = Program.objects.published().for_listing().order_by(*ProgramFilter.default_ordering())
    filterset = ProgramFilter(request.GET, queryset=programs, profile=profile or None)
    verdict, by_fit = filterset.fit_asked
    arranged_by = profile.query_string() if profile and (verdict or by_fit) else ""
    context = listing_context(request, filterset, settings.LIST_PAGE_SIZE, arranged_by)
    if profile:
        # The fit rules run once a request: a list arranged by fit has them already.
        shown = context["page_obj"].object_list
        with_fit([program for program in shown if program.profile_fit is None], profile)
    context.update(profile=profile, fit_needs_profile=(verdict or by_fit) and not profile)
    if filterset.cleaned.get("sort") in ("tuition", "-tuition"):
        context["tuition_dates"] = tuition_dates(context["page_obj"].object_list)
    return render(request, "programs/program_list.html", context)


TUITION = ("tuition_total", "tuition_per_credit")


def tuition_dates(programs: list[Program]) -> str:
    """What a page of the list sorted by tuition says of its figures' dates (read from the
    citations the page holds, so it costs no query, whatever the list's length), or "" when
    none is cited."""
    cutoff = months_before(timezone.localdate(), settings.STALE_AFTER_MONTHS)
    dated, old, undated = [], 0, 0
    for program in programs:
        cited = [program.citations_by_field().get(name) for name in TUITION]
        days = [citation.as_of for citation in cited if citation is not None]
        dated += [day for day in days if day is not None]
        old += any(day is not None and day < cutoff for day in days)
        undated += any(day is None for day in days)
    if not dated and not undated:
        return ""
    parts = []
    if dated:
        oldest, newest = min(dated), max(dated)
        span = period_text(oldest)
        if newest != oldest:
            span = f"{period_text(oldest)} to {period_text(newest)}"
        parts.append(f"On this page, tuition figures are as of {span}")
    if old:
        parts.append(
            f"{old} {'is' if old == 1 else 'are'} older than "
            f"{settings.STALE_AFTER_MONTHS} months and may have changed"
        )
    if undated:
        pages = "page states" if undated == 1 else "pages state"
        parts.append(f"{undated} {pages} no date")
    return "; ".join(parts) + ". Check the tuition on the program's own page before you rely on it."


# `reviews` is the page of alumni reviews, which the reviews app shows on the page.
@whole_page(("reviews",))
def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    program = public_or_preview(request, Program, slug)
    profile = Profile.from_session(request.session)
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "profile": profile,
            "profile_fit": fit(program, profile) if profile else None,
            "deadline_passed": program.deadline_passed(),
            "structured_data": program_data(program, request.build_absolute_uri),
        },
    )


def fit_page(request: HttpRequest) -> HttpResponse:
    """The fit check: the reader's answers (in the query string, remembered in the session)
    and every published program's verdict, best fit first."""
    asked = any(name in request.GET for name in ProfileForm.base_fields)
    if asked:
        profile, form = Profile.from_query(request.GET)
        if form.is_valid():
            profile.save(request.session)
    else:
        profile = Profile.from_session(request.session)
        form = ProfileForm(initial=profile.as_data())
    results = []
    if profile and (not asked or form.is_valid()):
        programs = Program.objects.published().for_listing()
        results = best_fit_first(programs.order_by(*ProgramFilter.default_ordering()), profile)
    return render(
        request,
        "programs/fit.html",
        {
            "form": form,
            "profile": profile,
            "results": results,
            "counts": verdict_counts(results),
            "groups": fit_groups(results),
            "share_query": profile.query_string() if profile else "",
        },
    )


FIT_SHOWN_PER_VERDICT = 12


def fit_groups(results: list[Any]) -> list[dict[str, Any]]:
    """The programs by verdict, best first ("meets" first), each group the first
    FIT_SHOWN_PER_VERDICT of its programs and how many it has: the rest are in the program
    list, filtered by that verdict. A result page stays small on a phone."""
    groups: dict[str, list[Any]] = {}  # programs, each with its `profile_fit`
    for program in results:
        groups.setdefault(program.profile_fit.status, []).append(program)
    return [
        {
            "status": status,
            "count": len(groups[status]),
            "shown": groups[status][:FIT_SHOWN_PER_VERDICT],
        }
        for status in VERDICTS
        if status in groups
    ]


@require_POST
def fit_forget(request: HttpRequest) -> HttpResponse:
    """Forget the reader's profile: lists and program pages stop showing a fit."""
    Profile().save(request.session)
    return redirect("fit")


def deadline_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """The program's next application deadline as an .ics event; a 404 if none is reported
    or it has passed."""
    program = public_or_preview(request, Program, slug)
    if not upcoming([program]):
        passed = program.deadline_passed() and program.fact("application_deadline").reported
        raise Http404(
            "This program's deadline has passed." if passed else "No deadline is reported."
        )
    content, skipped = deadlines_calendar(
        [program], base_url(request), f"Deadline: {program.title}"
    )
    if skipped:
        raise Http404("This program's deadline cannot be written in a calendar.")
    return ics_response(content, f"deadline-{program.slug}.ics")


def deadlines_ics(request: HttpRequest) -> HttpResponse:
    """The upcoming deadlines of the programs named in the query string (?p=…, as the
    comparison and its tray name them) as one calendar."""
    slugs = request.GET.getlist("p")[:20]
    programs = Program.objects.published().for_listing().filter(slug__in=slugs)
    found = upcoming(programs)
    if not found:
        raise Http404("None of these programs reports a deadline still ahead.")
    content, skipped = deadlines_calendar(found, base_url(request))
    if len(skipped) == len(found):
        raise Http404("None of these programs' deadlines can be written in a calendar.")
    return ics_response(content, "deadlines.ics")


def base_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def ics_response(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@whole_page(["by"])
def institution_list(request: HttpRequest) -> HttpResponse:
    """Every institution with a published program, A–Z or by state or country, each with its
    published programs."""
    by_place = request.GET.get("by") == "place"

    def read():
        published = Program.objects.published().only("title", "slug", "institution_id")
        return list(
            Institution.objects.listed()
            .order_by("name")
            .prefetch_related(Prefetch("programs", queryset=published.order_by("title")))
        )

    institutions = cached("list:institutions", read)
    groups: dict[str, list] = {}
    for institution in institutions:
        if by_place:
            key = institution.state or institution.country or "Location not reported"
        else:
            key = institution.name[:1].upper()
        groups.setdefault(key, []).append(institution)
    return render(
        request,
        "programs/institution_list.html",
        {
            "groups": sorted(groups.items(), key=lambda item: item[0].casefold()),
            "by_place": by_place,
            "count": len(institutions),
            "program_count": sum(len(i.programs.all()) for i in institutions),
            "ignored": request.GET.get("by") not in (None, "place"),
        },
    )


@whole_page()
def institution_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A university: where it is, its accreditation, its programs. Public while it has a
    published program; staff also see it with drafts."""
    programs = Program.objects.visible_to(request.user).for_listing().order_by("title", "pk")

    def read():
        found = (
            Institution.objects.filter(slug=slug)
            .prefetch_related("accreditations__accreditor", Prefetch("programs", queryset=programs))
            .first()
        )
        return found if found is not None and found.programs.all() else None

    if request.user.is_staff:
        institution = read()
    else:
        institution = cached(f"detail:institution:{slug[:200]}", read)
    if institution is None:
        raise Http404("No university here.")
    return render(
        request,
        "programs/institution_detail.html",
        {
            "institution": institution,
            "programs": institution.programs.all(),
            "structured_data": institution_data(institution, request.build_absolute_uri),
        },
    )


def listed_institution(slug: str) -> Institution:
    """An institution the public sees: one with a published program."""
    return get_object_or_404(Institution.objects.listed(), slug=slug)


def refused(
    request: HttpRequest, template: str, context: dict[str, Any], status: int
) -> HttpResponse:
    response = render(request, template, context)
    response.status_code = status
    return response


def institution_update_request(request: HttpRequest, slug: str) -> HttpResponse:
    """A representative asks for a signed link, sent to their address on the institution's
    own domain (programs.representatives)."""
    institution = listed_institution(slug)
    domain = domain_of(institution.website)
    template = "programs/institution_update_request.html"
    context = {"institution": institution, "domain": domain, "form": None}
    if not domain:
        return render(request, template, context)
    context["form"] = form = LinkRequestForm(
        request.POST or None, institution=institution, domain=domain
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if not ratelimit.allow(
                request, "representative-link", settings.REPRESENTATIVE_LINKS_PER_HOUR
            ):
                return refused(request, template, {**context, "too_many": True}, 429)
            if not form.cleaned_data["website"]:  # the field people never see
                send_link(request, institution, form.cleaned_data["email"])
        days = settings.REPRESENTATIVE_LINK_MAX_AGE // (24 * 3600)
        return render(request, template, {**context, "sent": True, "days": days})
    return render(request, template, context)


def representative_or_refusal(
    request: HttpRequest, slug: str, token: str
) -> tuple[Institution, Representative | None]:
    """(institution, representative) for a valid link; (institution, None) otherwise."""
    institution = listed_institution(slug)
    return institution, representative_from(token, institution)


def institution_update(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """Where a representative's link leads: the institution's programs, each to update."""
    institution, representative = representative_or_refusal(request, slug, token)
    if representative is None:
        return refused(
            request, "programs/institution_update.html", {"institution": institution}, 400
        )
    programs = Program.objects.published().filter(institution=institution).order_by("title")
    return render(
        request,
        "programs/institution_update.html",
        {
            "institution": institution,
            "representative": representative,
            "token": token,
            "programs": programs,
        },
    )


def program_proposal(
    request: HttpRequest, slug: str, token: str, program: Program | None
) -> HttpResponse:
    """Every fact of one program, pre-filled; what the representative changes goes to the
    editors as one proposal, each fact with its page on the institution's domain."""
    institution, representative = representative_or_refusal(request, slug, token)
    if representative is None:
        return refused(
            request, "programs/institution_update.html", {"institution": institution}, 400
        )
    program = get_object_or_404(
        Program.objects.published().filter(institution=institution).for_detail(), slug=program
    )
    form = ProposalForm(request.POST or None, program=program, representative=representative)
    context = {"institution": institution, "program": program, "form": form, "token": token}
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if not ratelimit.allow(request, "proposal", settings.CORRECTIONS_PER_HOUR):
                return refused(
                    request, "programs/program_proposal.html", {**context, "too_many": True}, 429
                )
            changes = form.save()
        messages.success(
            request,
            f"Thank you: {len(changes)} change{'s' if len(changes) != 1 else ''} to "
            f"{program.title} went to the editors, who check each against the page you gave. "
            f"We will e-mail {representative.email} what they decide.",
        )
        return redirect(
            reverse("institutions:update", kwargs={"slug": institution.slug, "token": token})
        )
    return render(request, "programs/program_proposal.html", context)


# --- Deadline reminders (programs.reminders) ------------------------------------------------

REMINDER = "programs/reminder.html"


def reminder_request(request: HttpRequest, slug: str) -> HttpResponse:
    """A reader asks to be reminded of a program's deadline. Whatever the address (new,
    waiting or confirmed already) the page says the same: it never tells who subscribed."""
    program = get_object_or_404(
        Program.objects.published().select_related("institution"), slug=slug
    )
    context: dict[str, Any] = {"program": program, "state": "ask", "days": reminders_days()}
    if reminders.too_late(program, timezone.localdate()):
        return refused(request, REMINDER, {**context, "state": "no deadline"}, 404)
    context["form"] = form = ReminderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if not ratelimit.allow(request, "reminder", settings.REMINDER_REQUESTS_PER_HOUR):
                return refused(request, REMINDER, {**context, "too_many": True}, 429)
            if not form.cleaned_data["website"]:  # the field people never see
                email = form.cleaned_data["email"]
                reminder = DeadlineReminder.objects.filter(
                    program=program, email__iexact=email
                ).first() or DeadlineReminder.objects.create(
                    program=program, email=email, site=request.build_absolute_uri("/")
                )
                if reminder.confirmed_at is None:
                    reminders.ask_to_confirm(reminder)
        hours = settings.REMINDER_CONFIRMATION_MAX_AGE // 3600
        return render(request, REMINDER, {**context, "state": "sent", "hours": hours})
    return render(request, REMINDER, context)


def reminders_days() -> list[int]:
    return sorted(settings.REMINDER_DAYS_BEFORE, reverse=True)


def reminder_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the confirmation message: a button confirms (a mail scanner that opens
    links confirms nothing)."""
    reminder = reminders.from_token(
        token, reminders.CONFIRM, max_age=settings.REMINDER_CONFIRMATION_MAX_AGE
    )
    context: dict[str, Any] = {"reminder": reminder, "days": reminders_days()}
    if reminder is None:
        return refused(request, REMINDER, {**context, "state": "bad link"}, 404)
    context["program"] = reminder.program
    if request.method == "POST":
        reminders.confirm(reminder)
        return render(request, REMINDER, {**context, "state": "confirmed"})
    return render(request, REMINDER, {**context, "state": "confirm"})


@csrf_exempt  # the signed link is the authority; mail programs post here in one click
def reminder_stop(request: HttpRequest, token: str) -> HttpResponse:
    """Stop a reminder and delete the address: the button of the page, or the one-click
    unsubscribe mail programs offer (RFC 8058), which posts without a page."""
    reminder = reminders.from_token(token, reminders.STOP)
    if reminder is None:
        # Stopped already, or never was: the same either way.
        state = "stopped" if request.method == "POST" else "bad link"
        return refused(request, REMINDER, {"state": state}, 200 if state == "stopped" else 404)
    context: dict[str, Any] = {"reminder": reminder, "program": reminder.program}
    if request.method == "POST":
        reminder.delete()
        return render(request, REMINDER, {**context, "state": "stopped"})
    return render(request, REMINDER, {**context, "state": "stop"})
