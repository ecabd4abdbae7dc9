"""The "report a barrier" form of the accessibility statement: empty, with its errors,
or the confirmation (the view's answer, sites.legal.views)."""

from dataclasses import dataclass, field

from django import template
from django.urls import reverse

from core.models import SiteSettings
from sites.legal.forms import BarrierReportForm, feedback_token

register = template.Library()


@dataclass
class FeedbackBox:
    form: BarrierReportForm
    action: str
    token: str
    available: bool  # a site without a contact address offers no form
    done: bool = False
    email: str = ""
    refusals: list = field(default_factory=list)  # why the message was not sent
    errors: list = field(default_factory=list)  # (bound field, its messages)


@register.simple_tag(takes_context=True)
def feedback_box(context, page, site_settings: SiteSettings | None) -> FeedbackBox:
    """The form of ``page``, the statement; ``site_settings`` are its site's."""
    form = context.get("feedback_form") or BarrierReportForm(page=page)
    box = FeedbackBox(
        form=form,
        action=reverse("legal:report", kwargs={"page_id": page.pk}),
        token=feedback_token(page),  # a new one, also when the form comes back with errors
        available=bool(site_settings and site_settings.contact_email),
        done=bool(context.get("feedback_done")),
        email=context.get("feedback_email", ""),
    )
    if context.get("feedback_refusal"):
        box.refusals = [context["feedback_refusal"]]
    elif form.is_bound and form.errors:
        box.refusals = list(form.non_field_errors())
        box.errors = [
            (form[name], messages) for name, messages in form.errors.items() if name != "__all__"
        ]
    return box
