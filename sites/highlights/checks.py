"""``manage.py check`` proves that what the member side offers fits its models.

The pipeline reads tables and columns through the fields an offer names; a renamed or
retyped field would otherwise only show at run time, as a member schema that fails to
sync. Here it is an error at start-up that names the declaration to fix.
"""

from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from wagtail.images import get_image_model

from sites.highlights.models import DirectoryEntry, Highlight
from sites.members.offers import DIRECTORY_OFFER, HIGHLIGHT_OFFERS


def _field_problem(model, name: str, kind: str) -> str | None:
    """Why ``name`` is not a field of ``kind`` on ``model``, or None."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return f"{model._meta.label} has no field {name!r}"
    if kind == "image":
        if not (field.is_relation and field.related_model is get_image_model()):
            return f"{model._meta.label}.{name} is not a foreign key to the image model"
    elif kind == "text" and not isinstance(field, models.CharField | models.TextField):
        return f"{model._meta.label}.{name} is not a text field"
    elif kind == "datetime" and not isinstance(field, models.DateTimeField):
        return f"{model._meta.label}.{name} is not a date and time field"
    elif kind == "boolean" and not isinstance(field, models.BooleanField):
        return f"{model._meta.label}.{name} is not a true/false field"
    elif kind == "decimal" and not isinstance(field, models.DecimalField):
        return f"{model._meta.label}.{name} is not a decimal field"
    return None


def _copied_kind(entry: str) -> str:
    """What a directory entry field holds, so that its source must hold the same."""
    try:
        field = DirectoryEntry._meta.get_field(entry)
    except FieldDoesNotExist:
        return "text"
    return "decimal" if isinstance(field, models.DecimalField) else "text"


def offer_problems(highlight_offers=HIGHLIGHT_OFFERS, directory_offer=DIRECTORY_OFFER) -> list[str]:
    """Everything about the offers that the pipeline could not read."""
    problems = []
    for offer in highlight_offers:
        if offer.kind not in Highlight.PageType.values:
            problems.append(f"{offer.model._meta.label}: unknown highlight kind {offer.kind!r}")
        wanted = [(offer.proposed, "boolean")]
        wanted += [(name, "text") for name in offer.teaser]
        wanted += [(name, "image") for name in offer.image]
        wanted += [(name, "datetime") for name in (offer.start, offer.end) if name]
        problems += [p for name, kind in wanted if (p := _field_problem(offer.model, name, kind))]
    model = directory_offer.model
    for entry, source in directory_offer.fields:
        kind = _copied_kind(entry)
        problems += [p for p in [_field_problem(model, source, kind)] if p]
        problems += [p for p in [_field_problem(DirectoryEntry, entry, kind)] if p]
    if (p := _field_problem(model, directory_offer.facts, "")) is not None:
        problems.append(p)
    return problems


def check_offers(app_configs=None, **kwargs):
    return [
        checks.Error(problem, hint="Fix sites/members/offers.py", id="highlights.E001")
        for problem in offer_problems()
    ]


def register() -> None:
    checks.register(check_offers)
