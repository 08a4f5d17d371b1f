"""The forms of institutions' representatives (programs.representatives)."""

import uuid

from django import forms

from core.correctable import writable_field
from core.forms import honeypot
from core.models import Correction
from programs.models import Program
from programs.representatives import email_on_domain, url_on_domain


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label="Your e-mail address at the university",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = honeypot()

    def __init__(self, *args, institution, domain, **kwargs):
        super().__init__(*args, **kwargs)
        self.institution = institution
        self.fields["email"].help_text = (
            f"It must be on {domain}, the domain of the university's website: opening the "
            "link we send there proves you read that mailbox."
        )
        self.domain = domain

    def clean_email(self):
        email = self.cleaned_data["email"]
        if not email_on_domain(email, self.institution.website):
            raise forms.ValidationError(
                f"This address is not on {self.domain}, the domain of "
                f"{self.institution.name}'s website. Use your university address; if you have "
                "none, suggest a correction from the program's page with the page that says so."
            )
        return email


def as_text(value):
    """A form's value as a correction stores it: what the field's to_python reads back."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class ProposalForm(forms.Form):
    """Every fact of one program, pre-filled with what the portal says now; each fact changed
    needs the page, on the university's own domain, that says so."""

    def __init__(self, *args, program, representative, **kwargs):
        super().__init__(*args, **kwargs)
        self.program, self.representative = program, representative
        self.facts = []
        for group in Program.facts.groups:
            rows = []
            for fact in group.facts:
                model_field = writable_field(Program, fact.name) if fact.is_sourced else None
                if model_field is None:
                    continue
                field = model_field.formfield(required=False)
                field.label = fact.label_for(Program)
                field.help_text = ""
                self.fields[fact.name] = field
                self.initial[fact.name] = model_field.value_from_object(program)
                self.fields[f"{fact.name}__source"] = forms.URLField(
                    label=f"Page that says so ({field.label})",
                    required=False,
                    max_length=500,
                    assume_scheme="https",
                    widget=forms.URLInput(attrs={"inputmode": "url"}),
                )
                rows.append((self[fact.name], self[f"{fact.name}__source"]))
            if rows:
                self.facts.append((group.title, rows))

    def changed_facts(self):
        return [name for name in self.changed_data if not name.endswith("__source")]

    def clean(self):
        data = super().clean()
        website = self.program.institution.website
        changed = self.changed_facts()
        if not changed and not self.errors:
            raise forms.ValidationError("Nothing was changed: change a fact, then send it.")
        for name in changed:
            if data.get(name) in (None, "", []) and self.initial.get(name) not in (None, "", []):
                self.add_error(
                    name,
                    "To remove a fact, suggest a correction from the program's page instead.",
                )
            url = data.get(f"{name}__source")
            if not url:
                self.add_error(f"{name}__source", "Give the page that says so.")
            elif not url_on_domain(url, website):
                self.add_error(
                    f"{name}__source",
                    "This page is not on the university's own website. Give the university's "
                    "own page; a fact stated only elsewhere can be suggested from the program's "
                    "page, for the editors to check.",
                )
        return data

    def save(self):
        """One correction per changed fact, grouped as one proposal; returns them."""
        batch = uuid.uuid4().hex
        return [
            Correction.objects.create(
                entry=self.program,
                field=name,
                value=as_text(self.cleaned_data[name]),
                source_url=self.cleaned_data[f"{name}__source"],
                email=self.representative.email,
                relationship=Correction.Relationship.STAFF,
                confirmed_by=self.representative.email,
                batch=batch,
            )
            for name in self.changed_facts()
        ]


class ReminderForm(forms.Form):
    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        help_text="Only for these reminders; deleted after the last one, or when you stop them.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = honeypot()
