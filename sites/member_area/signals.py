"""Keep the members' area private, whatever happens to its page.

Connected by :func:`connect` (``MemberAreaConfig.ready()``) with explicit senders: a
members' area page gets its restriction to the group "Mitglieder" when it is created
(its translations too) and again when it is published; a restriction changed or removed
in the admin's privacy dialog is put back after the commit. A deleted member's staff
accounts lose their access. After every migration of the public schema the group and
the private collection exist (``member_area_ensure``).
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published

from core.schemas import is_public_schema
from sites.member_area.services import (
    MEMBERS_GROUP,
    member_area_ensure,
    members_area_restrict,
)
from sites.network.models import MembersAreaPage
from tenants.models import Member


def _area_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw and is_public_schema(connection.schema_name):
        members_area_restrict(instance)


def _area_published(sender, instance, **kwargs):
    if is_public_schema(connection.schema_name):
        members_area_restrict(instance)


def _restriction_changed(sender, instance, **kwargs):
    """A restriction of an area page changed (another type) or removed in the admin's
    privacy dialog: the area's own is put back after the commit."""
    if not is_public_schema(connection.schema_name):
        return
    area = MembersAreaPage.objects.filter(pk=instance.page_id).first()
    if area is not None:
        transaction.on_commit(lambda: members_area_restrict(area))


def _member_deleted(sender, instance, **kwargs):
    """A deleted member's staff accounts lose their access with it: the users are
    deactivated and leave the group (their account rows go by cascade). They stay as
    inactive users, which an administrator may delete in the admin's user list."""
    User = get_user_model()
    ids = list(User.objects.filter(member_account__member=instance).values_list("pk", flat=True))
    User.objects.filter(pk__in=ids).update(is_active=False)
    User.groups.through.objects.filter(user_id__in=ids, group__name=MEMBERS_GROUP).delete()


def _migrated(sender, using="default", **kwargs):
    if is_public_schema(connection.schema_name):
        member_area_ensure()


def connect() -> None:
    pre_delete.connect(_member_deleted, sender=Member, dispatch_uid="member_area_member_deleted")
    post_save.connect(_area_saved, sender=MembersAreaPage, dispatch_uid="member_area_saved")
    page_published.connect(
        _area_published, sender=MembersAreaPage, dispatch_uid="member_area_published"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"member_area_restriction_{signal is post_save}",
        )
    post_migrate.connect(
        _migrated, sender=apps.get_app_config("member_area"), dispatch_uid="member_area_migrated"
    )
