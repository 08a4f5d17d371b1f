"""Moderation in the admin: the queue of pending reviews first, one decision at a time or many."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import ngettext

from core.admin.actions import action_page
from reviews.decisions import tell_reviewer
from reviews.models import REASON_REQUIRED, ModerationEvent, Review, ReviewReply, ReviewReport


def decision_message(review):
    """What the admin log says about a decision: “Approved” or “Rejected: <reason>”."""
    if review.status == Review.Status.REJECTED:
        return f"Rejected: {review.get_rejection_reason_display()}"
    return review.get_status_display()


def moderator_name(user, empty="—"):
    # Plain text: a link to the user's admin page would be a dead end for moderators.
    return (user.get_full_name() or user.get_username()) if user else empty


class StatusFilter(admin.SimpleListFilter):
    """The moderation queue first: with no status chosen, only pending reviews are listed."""

    title = "status"
    # The key Django's own field filter would use, so links written for it keep working.
    parameter_name = "status__exact"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*Review.Status.choices, (self.ALL, "All")]

    def value(self):
        return super().value() or Review.Status.PENDING

    def queryset(self, request, queryset):
        if self.value() == self.ALL:
            return queryset
        return queryset.filter(status=self.value())

    def choices(self, changelist):
        choices = super().choices(changelist)
        next(choices)  # Django's "All" removes the parameter, which here means "pending".
        yield from choices


class YesNoFilter(admin.SimpleListFilter):
    condition: Q

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(self.condition)
        if self.value() == "no":
            return queryset.exclude(self.condition)
        return queryset


class EmailConfirmedFilter(YesNoFilter):
    title = "email confirmed"
    parameter_name = "confirmed"
    condition = Q(email_confirmed_at__isnull=False)


class OpenReportsFilter(YesNoFilter):
    title = "has open reports"
    parameter_name = "reported"
    condition = Q(open_reports__gt=0)


class ReviewDecisionForm(forms.ModelForm):
    """The moderator's decision: the only thing the review's change page saves."""

    status = forms.ChoiceField(
        label="Decision",
        choices=[(Review.Status.APPROVED, "Approve"), (Review.Status.REJECTED, "Reject")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose to approve or to reject the review."},
        help_text="Approving publishes the review on the program page. Judge conduct, not "
        "opinion: a negative review that breaks no rule is approved.",
    )

    class Meta:
        model = Review
        fields = ["status", "rejection_reason"]

    def clean(self):
        cleaned_data = super().clean()
        status = cleaned_data.get("status")
        reason = cleaned_data.get("rejection_reason", "")
        self.decision = None
        try:
            Review.require_reason(status, reason)
        except ValidationError as error:
            self.add_error(None, error)
        if status and not self.errors and self.instance.would_decide(status, reason):
            self.decision = (status, reason)
        return cleaned_data


class RejectionForm(forms.Form):
    reason = forms.ChoiceField(
        label="Reason for rejecting all the selected reviews",
        choices=Review.RejectionReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": REASON_REQUIRED},
    )


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReviewReportInline(ReadOnlyInline):
    model = ReviewReport
    fields = ["reason", "details", "resolved", "created_at"]
    verbose_name = "report from a reader"
    verbose_name_plural = "reports from readers"


class ModerationEventInline(ReadOnlyInline):
    model = ModerationEvent
    fields = ["status", "reason", "decided_by", "at"]
    verbose_name = "decision"
    verbose_name_plural = "history of decisions"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("moderator")

    @admin.display(description="moderator")
    def decided_by(self, event):
        return moderator_name(event.moderator, "Readers' reports (back to the queue)")


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Moderators judge reviews here; nobody edits what a reviewer wrote."""

    form = ReviewDecisionForm
    list_display = [
        "title",
        "program",
        "rating",
        "status",
        "rejection_reason",
        "email_confirmed",
        "open_report_count",
        "created_at",
    ]
    list_filter = [StatusFilter, "rejection_reason", EmailConfirmedFilter, OpenReportsFilter]
    list_select_related = ["program__institution"]
    search_fields = ["title", "body", "display_name"]
    actions = ["approve_selected", "reject_selected"]
    inlines = [ReviewReportInline, ModerationEventInline]
    fieldsets = [
        (
            "The review",
            {
                "fields": [
                    "program_page",
                    "title",
                    "body",
                    "pros",
                    "cons",
                    "rating",
                    ("rating_curriculum", "rating_workload", "rating_faculty"),
                    ("rating_career", "rating_value", "rating_flexibility"),
                    "would_recommend",
                ]
            },
        ),
        (
            "The reviewer",
            {
                "description": "The email address is for moderators only: never shown publicly.",
                "fields": [
                    "display_name",
                    "email",
                    "email_confirmed_at",
                    ("graduation_year", "is_current_student"),
                    ("role_before", "role_after"),
                    "relationship",
                    "relationship_details",
                    "created_at",
                ],
            },
        ),
        (
            "Decision",
            {"fields": ["status", "rejection_reason", "decided_by", "moderated_at"]},
        ),
    ]
    decision_fields = ["status", "rejection_reason"]

    def get_readonly_fields(self, request, obj=None):
        editable = self.decision_fields if self.has_moderate_permission(request) else []
        return [name for name in helpers.flatten_fieldsets(self.fieldsets) if name not in editable]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(open_reports=Count("reports", filter=Q(reports__resolved=False)))
        )

    def has_add_permission(self, request):
        # Reviews come from the public form, with its checks and the reviewer's confirmation.
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_moderate_permission(self, request):
        return request.user.has_perm("reviews.moderate_review")

    @admin.display(description="program")
    def program_page(self, review):
        # The public page, which moderators can open; the program's admin page is for editors.
        return format_html('<a href="{}">{}</a>', review.program.get_absolute_url(), review.program)

    @admin.display(description="last decided by")
    def decided_by(self, review):
        return moderator_name(review.moderated_by)

    @admin.display(description="email confirmed", boolean=True, ordering="email_confirmed_at")
    def email_confirmed(self, review):
        return review.email_confirmed_at is not None

    @admin.display(description="open reports", ordering="open_reports")
    def open_report_count(self, review):
        return review.open_reports

    def save_model(self, request, obj, form, change):
        if getattr(form, "decision", None) is None:
            return
        status, reason = form.decision
        # Only the decision is written, never what the reviewer wrote.
        obj.refresh_from_db()
        with transaction.atomic():
            if obj.moderate(status, request.user, reason):
                tell_reviewer(request, obj)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(form, "decision", None) is None:
            return "No decision made."
        return decision_message(form.instance)

    def delete_queryset(self, request, queryset):
        # One by one, so that each program's review count and average are recounted.
        for review in queryset:
            review.delete()

    def moderate(self, request, reviews, status, reason=""):
        """Decide on each review; the number of reviews the decision changed."""
        decided = 0
        with transaction.atomic():
            for review in reviews:
                if review.moderate(status, request.user, reason):
                    self.log_change(request, review, decision_message(review))
                    tell_reviewer(request, review)
                    decided += 1
        return decided

    @admin.action(permissions=["moderate"], description="Approve selected reviews")
    def approve_selected(self, request, queryset):
        count = self.moderate(request, list(queryset), Review.Status.APPROVED)
        self.message_user(
            request,
            ngettext("%d review approved.", "%d reviews approved.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(permissions=["moderate"], description="Reject selected reviews…")
    def reject_selected(self, request, queryset):
        reviews = list(queryset)
        form = RejectionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = Review.RejectionReason(form.cleaned_data["reason"])
            count = self.moderate(request, reviews, Review.Status.REJECTED, reason)
            message = ngettext(
                "%(count)d review rejected: %(reason)s.",
                "%(count)d reviews rejected: %(reason)s.",
                count,
            )
            self.message_user(
                request, message % {"count": count, "reason": reason.label}, messages.SUCCESS
            )
            return None
        return action_page(
            self,
            request,
            "admin/reviews/review/reject_selected.html",
            "Reject reviews",
            form,
            reviews=reviews,
        )


@admin.register(ReviewReply)
class ReviewReplyAdmin(admin.ModelAdmin):
    """Programs' replies to reviews: entered here by staff, or sent by an institution's
    representative; shown beneath the review only once a moderator approves them."""

    list_display = ["review", "program", "written_by", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["review__program__institution", "entered_by"]
    raw_id_fields = ["review"]
    actions = ["approve_selected", "reject_selected"]

    def get_fields(self, request, obj=None):
        return ["review", "body"] if obj is None else ["review", "body", "written_by", "status"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["review", "body", "written_by", "status"]

    def has_moderate_permission(self, request):
        return request.user.has_perm("reviews.moderate_review")

    @admin.display(description="program")
    def program(self, reply):
        return reply.review.program

    @admin.display(description="written by")
    def written_by(self, reply):
        if reply.sent_by:
            return f"{reply.sent_by} (the institution, by its signed link)"
        return moderator_name(reply.entered_by, "staff")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)

    def decide(self, request, queryset, status):
        decided = 0
        with transaction.atomic():
            for reply in queryset.exclude(status=status):
                reply.status = status
                reply.moderated_by, reply.moderated_at = request.user, timezone.now()
                reply.save()
                self.log_change(request, reply, reply.get_status_display())
                decided += 1
        return decided

    @admin.action(permissions=["moderate"], description="Approve selected replies (show them)")
    def approve_selected(self, request, queryset):
        count = self.decide(request, queryset, ReviewReply.Status.APPROVED)
        self.message_user(request, f"{count} replies approved.", messages.SUCCESS)

    @admin.action(permissions=["moderate"], description="Reject selected replies")
    def reject_selected(self, request, queryset):
        count = self.decide(request, queryset, ReviewReply.Status.REJECTED)
        self.message_user(request, f"{count} replies rejected.", messages.SUCCESS)
