"""Who may use the admin views that exist only on the network site."""

from django.db import connection
from wagtail.permission_policies import ModelPermissionPolicy

from core.schemas import is_public_schema


class NetworkAdminOnlyPolicy(ModelPermissionPolicy):
    """Django's model permissions, but only in the network admin (public schema).

    Admin views and hooks are registered for every schema (Wagtail's registries are
    global); this policy answers "no" in a member's admin, so a member never sees them.
    That matters for public tables: a member schema's search path ends in ``public``, so
    without the policy a member's admin could read them. ``refused`` actions are refused
    to everybody (rows that only a service or a command may add or delete).
    """

    def __init__(self, model, *, refused: tuple[str, ...] = ()):
        super().__init__(model)
        self.refused = frozenset(refused)

    def user_has_permission(self, user, action):
        if action in self.refused or not is_public_schema(connection.schema_name):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)
