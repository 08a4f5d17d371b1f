"""The fit page's form: every answer optional; what is left blank is not checked."""

from django import forms

from core.forms import dollars_field
from programs.fit.choices import FIELDS, FORMATS, MAX_GPA, PACES, PROGRAMMING, ROLES, YES_NO


class ProfileForm(forms.Form):
    """What the reader says of themselves. Every answer is optional; what is left blank is
    not checked."""

    role = forms.ChoiceField(
        label="Your role or licence", choices=[("", "Choose…"), *ROLES], required=False
    )
    bachelor_field = forms.ChoiceField(
        label="Your bachelor's degree is in", choices=[("", "Choose…"), *FIELDS], required=False
    )
    gpa = forms.DecimalField(
        label="Your undergraduate GPA (4.0 scale)",
        required=False,
        min_value=0,
        max_value=MAX_GPA,
        max_digits=3,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": "Enter your GPA as a number, such as 3.2.",
            "min_value": "A GPA cannot be below 0.",
            "max_value": "GPA is on a 4.0 scale: enter a number from 0 to 4.",
            "max_digits": "GPA is on a 4.0 scale: enter a number from 0 to 4.",
            "max_whole_digits": "GPA is on a 4.0 scale: enter a number from 0 to 4.",
            "max_decimal_places": "Two decimal places are enough, such as 3.25.",
        },
    )
    experience = forms.IntegerField(
        label="Years of healthcare work",
        required=False,
        min_value=0,
        max_value=60,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "invalid": "Enter whole years, such as 4.",
            "min_value": "Years cannot be negative: enter 0 or more.",
            "max_value": "Enter at most 60 years.",
        },
    )
    programming = forms.ChoiceField(
        label="Programming", choices=PROGRAMMING, required=False, widget=forms.RadioSelect
    )
    statistics = forms.ChoiceField(
        label="Have you passed a statistics course?",
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )
    gre = forms.ChoiceField(
        label="Would you take the GRE if a program asks for it?",
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )
    budget = dollars_field(
        "Budget for the whole degree (US$)",
        40000,
        "A budget",
        help_text="Tuition and fees, before any employer assistance.",
    )
    pace = forms.ChoiceField(label="Pace", choices=PACES, required=False, widget=forms.RadioSelect)
    formats = forms.MultipleChoiceField(
        label="Formats you can attend",
        choices=FORMATS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
