"""System checks of the library: a declaration of facts names only what exists."""

from typing import Any

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist

from core.facts import SourcedModel


@checks.register(checks.Tags.models)
def check_fact_declarations(app_configs: Any = None, **kwargs: Any) -> list[checks.Error]:
    """Each declared fact is a field of its model (as are the fields declared beside it), and
    each `show` is an attribute of the model: a renamed field fails `manage.py check`."""
    errors = []
    for model in apps.get_models():
        if not issubclass(model, SourcedModel):
            continue
        for fact in model.facts:
            for name in (fact.name, *fact.admin_with):
                try:
                    model._meta.get_field(name)
                except FieldDoesNotExist:
                    errors.append(
                        checks.Error(
                            f"{model._meta.label} declares the fact “{name}”, which is not one "
                            "of its fields.",
                            hint="Rename it in the model's `facts`, or add the field.",
                            obj=model,
                            id="core.E001",
                        )
                    )
            if fact.show and not hasattr(model, fact.show):
                errors.append(
                    checks.Error(
                        f"{model._meta.label}: the fact “{fact.name}” is shown by “{fact.show}”, "
                        "which the model does not have.",
                        obj=model,
                        id="core.E002",
                    )
                )
    return errors
