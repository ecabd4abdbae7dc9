from wagtail import hooks

from sites.plone_import.admin_views import ImportRunViewSet


@hooks.register("register_admin_viewset")
def register_import_viewset():
    return ImportRunViewSet("plone_imports")
