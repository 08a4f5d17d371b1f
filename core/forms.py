"""Form fields the public forms share."""

from django import forms
from django.core.validators import MaxLengthValidator

from core.correctable import grouped_choices
from core.models import Correction


def dollars_field(
    label: str, example: int, what: str, missing: str = "", help_text: str = ""
) -> forms.DecimalField:
    """A whole number of US dollars typed in a text box (a word stays visible with its error),
    with messages in plain words: `example` is a sensible amount, `what` the thing's name
    ("A budget", "A salary"); `missing`, for a required field, what to say when it is empty."""
    messages = {
        "invalid": f"Enter whole dollars using digits only, such as {example}.",
        "min_value": f"{what} cannot be negative.",
        "max_digits": "That number is too large.",
        "max_whole_digits": "That number is too large.",
        "max_decimal_places": f"Enter whole dollars, such as {example}.",
    }
    if missing:
        messages["required"] = missing
    return forms.DecimalField(
        label=label,
        required=bool(missing),
        min_value=0,
        max_digits=9,
        decimal_places=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=help_text,
        error_messages=messages,
    )


def honeypot() -> forms.CharField:
    """A field people never see (hidden by CSS and from screen readers, drawn by
    includes/_trap_field.html); bots fill it in, and what they send is dropped."""
    return forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class CorrectionForm(forms.ModelForm):
    """A reader's correction of one fact of a public page (core.corrections)."""

    website = honeypot()

    class Meta:
        model = Correction
        fields = ["field", "value", "source_url", "email", "relationship"]
        labels = {
            "field": "Which fact is wrong or missing?",
            "value": "What it should say",
            "source_url": "The page where it says so",
            "email": "Your e-mail address",
            "relationship": "How do you know? (optional)",
        }
        help_texts = {
            "value": "As the page gives it, for example “$48,000 for the whole degree”.",
            "source_url": "Its full address, starting with https://: the program's or the "
            "institution's own page, or the issuer's for a certification. Editors read it "
            "before anything changes.",
            "email": "Optional: only to tell you what the editors decided. Never shown.",
            "relationship": "",
        }
        widgets = {
            "value": forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
            "source_url": forms.URLInput(attrs={"autocomplete": "url", "inputmode": "url"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "relationship": forms.RadioSelect,
        }
        error_messages = {
            "value": {"required": "Say what the fact should say."},
            "source_url": {
                "required": "Give the address of the page that says so: editors change "
                "nothing without it.",
                "invalid": "Enter the page's full address, such as "
                "https://www.example.edu/ms-health-ai.",
            },
        }

    def __init__(self, *args, entry, group="", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if entry is not None:
            self.instance.entry = entry
            choices = grouped_choices(type(entry), group)
        else:  # the database is down: the fact chosen, as it was sent, is kept
            sent = self.initial.get("field", "")
            choices = [(sent, sent)] if sent and sent != "other" else []
        self.fields["field"] = forms.ChoiceField(
            label=self.Meta.labels["field"],
            choices=[("", "Choose a fact"), *choices, ("other", "Something else")],
            error_messages={"required": "Choose the fact, or “Something else”."},
        )
        self.fields["value"].max_length = 300  # type: ignore[attr-defined]  # a CharField
        self.fields["value"].validators.append(MaxLengthValidator(300))
        self.fields["relationship"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            ("", "I'd rather not say"),
            *self.Meta.model.Relationship.choices,
        ]
        self.fields["relationship"].required = False

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def clean_field(self) -> str:
        value = self.cleaned_data["field"]
        return "" if value == "other" else value

    def clean_source_url(self) -> str:
        url = self.cleaned_data["source_url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Enter the page's full address, starting with https://.")
        return url
