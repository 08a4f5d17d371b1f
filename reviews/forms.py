from django import forms
from django.core.exceptions import ValidationError

from core.forms import honeypot
from reviews.models import SUB_RATINGS, Review, ReviewReply, ReviewReport, fingerprint

RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]


class ReviewForm(forms.ModelForm):
    website = honeypot()
    would_recommend = forms.TypedChoiceField(
        label="Would you recommend this program to a colleague?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Review
        fields = [
            "rating",
            *SUB_RATINGS,
            "title",
            "body",
            "pros",
            "cons",
            "graduation_year",
            "is_current_student",
            "role_before",
            "role_after",
            "would_recommend",
            "display_name",
            "email",
            "relationship",
            "relationship_details",
        ]
        labels = {
            "rating": "Overall, how would you rate the program?",
            "title": "Headline",
            "body": "Your review",
            "pros": "What was good",
            "cons": "What could be better",
            "graduation_year": "Year you graduated",
            "is_current_student": "I am still studying in this program",
            "role_before": "Your job before the program",
            "role_after": "Your job after it",
            "display_name": "Name shown with your review",
            "email": "Your email address",
            "relationship": "Did you receive anything for this review, or are you connected "
            "to the institution?",
            "relationship_details": "If so, what?",
        }
        help_texts = {
            "title": "A short summary, for example “Demanding but worth it on night shifts”.",
            "role_before": "Optional, for example “ICU nurse”.",
            "role_after": "Optional, for example “Clinical informatics specialist”.",
            "pros": "Optional.",
            "cons": "Optional.",
            "body": f"What was it like to study here while working? {Review.BODY_MIN} to "
            f"{Review.BODY_MAX} characters. Links are shown as plain text.",
            "email": "We send you a link to confirm it. It is never shown or shared.",
            "display_name": "A first name or initials is enough.",
            "graduation_year": "Leave empty if you tick that you are still studying.",
            "relationship_details": "Shown with your review, so readers can weigh it.",
        }
        widgets = {
            "rating": forms.RadioSelect(choices=RATING_CHOICES),
            **{
                name: forms.RadioSelect(choices=[("", "No answer"), *RATING_CHOICES])
                for name in SUB_RATINGS
            },
            "body": forms.Textarea(attrs={"rows": 8, "maxlength": Review.BODY_MAX}),
            "pros": forms.Textarea(attrs={"rows": 3, "maxlength": Review.NOTE_MAX}),
            "cons": forms.Textarea(attrs={"rows": 3, "maxlength": Review.NOTE_MAX}),
            "relationship": forms.RadioSelect,
            "graduation_year": forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
        }

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program
        self.fields["rating"].required = True
        self.fields["relationship"].choices = Review.Relationship.choices

    @property
    def is_bot(self):
        return bool(self.cleaned_data.get("website"))

    def clean_body(self):
        body = self.cleaned_data["body"]
        if Review.objects.filter(
            program=self.instance.program, text_fingerprint=fingerprint(body)
        ).exists():
            raise ValidationError("This review has already been sent for this program.")
        return body


class ReportForm(forms.ModelForm):
    class Meta:
        model = ReviewReport
        fields = ["reason", "details"]
        labels = {"reason": "What is wrong with this review?", "details": "Anything to add"}
        widgets = {
            "reason": forms.RadioSelect,
            "details": forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = ReviewReport.Reason.choices


class ResendForm(forms.Form):
    email = forms.EmailField(
        label="The e-mail address you gave with your review",
        help_text="If a review waiting for confirmation was sent with it, we send the link again.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ReplyForm(forms.ModelForm):
    class Meta:
        model = ReviewReply
        fields = ["body"]
        labels = {"body": "Your reply, as the program"}
        help_texts = {
            "body": "Shown beneath the review as “Reply from the program” once a moderator "
            "approves it. Plain text, 20 to 2,000 characters."
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 4, "maxlength": ReviewReply.BODY_MAX})}
