"""The accounts backend (``AUTHENTICATION_BACKENDS``): Django's, plus one rule for
members' staff accounts."""

from django.contrib.auth.backends import ModelBackend
from django.db import connection

from core.schemas import is_public_schema
from sites.member_area.models import MemberAccount


class AccountBackend(ModelBackend):
    """Staff of an archived member can neither log in nor keep using a session (Django
    asks this for every request of a logged-in user), until the member is active again.

    Only in the public schema: a member schema has no accounts table of its own, and its
    search path would otherwise reach the public one with another schema's user ids.
    """

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        if not is_public_schema(connection.schema_name):
            return True
        return not _member_inactive(user)


def _member_inactive(user) -> bool:
    account = MemberAccount.objects.filter(user_id=user.pk).select_related("member").first()
    return account is not None and not account.member.is_active
