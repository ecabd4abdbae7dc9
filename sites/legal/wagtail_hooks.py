"""The dashboard warning while a site's legal pages are unfinished (network and members)."""

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import Site
from wagtail.permission_policies.pages import PagePermissionPolicy

from sites.legal.selectors import legal_problems


class LegalPagesPanel(Component):
    template_name = "legal/admin/unfinished_panel.html"
    order = 10  # above everything else: it is a legal duty

    def __init__(self, problems):
        self.problems = problems

    def get_context_data(self, parent_context=None):
        return {"problems": self.problems}


@hooks.register("construct_homepage_panels")
def add_legal_pages_warning(request, panels):
    """For those who edit the site's pages: what its legal pages still lack."""
    if not PagePermissionPolicy().user_has_any_permission(request.user, ["change", "publish"]):
        return
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    problems = legal_problems(site)
    if problems:
        panels.append(LegalPagesPanel(problems))
