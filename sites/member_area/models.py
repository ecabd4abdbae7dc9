"""Accounts of the member municipalities' staff for the network's members' area.

They are users of the public schema (where the network site lives), in the group
"Mitglieder" and without admin access; each belongs to one member municipality. The
coordinators' accounts of a microsite live in that member's schema: the two kinds never
meet, and neither can log in where the other belongs.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Member


class MemberAccount(models.Model):
    """One staff person of a member municipality, invited by a central editor."""

    class State(models.TextChoices):
        INVITED = "invited", _("Eingeladen")
        EXPIRED = "expired", _("Einladung abgelaufen")
        ACTIVE = "active", _("Aktiv")
        DEACTIVATED = "deactivated", _("Deaktiviert")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="member_account",
        verbose_name=_("Konto"),
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,  # its users lose access (``signals._member_deleted``)
        related_name="staff_accounts",
        verbose_name=_("Mitglied"),
    )
    invited_at = models.DateTimeField(_("Eingeladen am"), default=timezone.now)
    invited_by = models.CharField(_("Eingeladen von"), max_length=150, blank=True)
    language = models.CharField(
        _("Sprache der Mails"),
        max_length=8,
        choices=[("de", _("Deutsch")), ("en", _("Englisch"))],
        default="de",
    )

    class Meta:
        verbose_name = _("Konto im Mitgliederbereich")
        verbose_name_plural = _("Konten im Mitgliederbereich")
        ordering = ["member__name", "user__last_name", "user__first_name"]

    def __str__(self):
        return f"{self.name} ({self.member.name})"

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.email

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def state(self) -> "MemberAccount.State":
        if not self.user.is_active:
            return self.State.DEACTIVATED
        if self.user.has_usable_password():
            return self.State.ACTIVE
        if timezone.now() > self.invitation_expires_at:
            return self.State.EXPIRED
        return self.State.INVITED

    def get_state_display(self) -> str:
        return self.State(self.state).label

    @property
    def invitation_expires_at(self):
        return self.invited_at + settings.MEMBER_INVITATION_VALIDITY
