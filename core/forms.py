"""Form fields the public forms share."""

from django import forms


def dollars_field(label, example, what, missing="", help_text=""):
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
