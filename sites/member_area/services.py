"""Writes of the members' area: its group and private collection, the view restriction
of its page, and the members' staff accounts (invite, invite again, deactivate).

Everything here runs in the public schema, where the network site and its accounts live.
"""

import logging
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from wagtail.models import (
    BaseViewRestriction,
    Collection,
    CollectionViewRestriction,
    PageViewRestriction,
    Site,
)

from core.mail import site_sender
from core.schemas import is_public_schema
from sites.member_area.models import MemberAccount
from tenants.models import Member

MEMBERS_GROUP = "Mitglieder"
PRIVATE_COLLECTION = "Mitgliederbereich"
INVITATION_SALT = "sites.member_area.invitation"
logger = logging.getLogger(__name__)


def _public_schema_required() -> None:
    if not is_public_schema(connection.schema_name):
        raise RuntimeError("The members' area lives in the public schema only.")


def member_area_ensure() -> tuple[Group, Collection]:
    """The group "Mitglieder" and the collection "Mitgliederbereich", whose documents and
    images answer to that group only. Safe to run again (after every migration)."""
    _public_schema_required()
    group, _created = Group.objects.get_or_create(name=MEMBERS_GROUP)
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=PRIVATE_COLLECTION).first()
    if collection is None:
        collection = root.add_child(name=PRIVATE_COLLECTION)
    _restricted_to(CollectionViewRestriction, group, collection=collection)
    return group, collection


def members_area_restrict(page) -> PageViewRestriction:
    """Restrict ``page`` (a members' area) to the group "Mitglieder", replacing any other
    restriction it was given: the area is never public and never password-protected."""
    group, _collection = member_area_ensure()
    PageViewRestriction.objects.filter(page=page).exclude(
        restriction_type=BaseViewRestriction.GROUPS
    ).delete()
    return _restricted_to(PageViewRestriction, group, page=page)


def _restricted_to(model, group: Group, **target):
    restriction = model.objects.filter(restriction_type=model.GROUPS, **target).first()
    if restriction is None:
        restriction = model.objects.create(restriction_type=model.GROUPS, **target)
    restriction.groups.add(group)
    return restriction


# --- Accounts -----------------------------------------------------------------------


def _normalized_email(email: str) -> str:
    return (email or "").strip().lower()


def member_account_create(
    *, first_name: str, last_name: str, email: str, member: Member, invited_by: str,
    language: str = "de", password: str | None = None,
) -> MemberAccount:  # fmt: skip
    """A new account for a member's staff person, tied to ``member``, in the group
    "Mitglieder", never with admin access. Without ``password`` it has none until the
    person sets one through an invitation (:func:`member_account_invite`)."""
    _public_schema_required()
    email = _normalized_email(email)
    User = get_user_model()
    if not email:
        raise ValidationError({"email": _("Bitte eine E-Mail-Adresse angeben.")})
    if User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
        raise ValidationError({"email": _("Es gibt schon ein Konto mit dieser E-Mail-Adresse.")})
    if not Member.objects.members().filter(pk=member.pk).exists():
        raise ValidationError({"member": _("Bitte ein Mitglied des Netzwerks wählen.")})
    user = User(username=email, email=email, first_name=first_name, last_name=last_name)
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user=user)
        user.set_password(password)
    with transaction.atomic():
        group, _collection = member_area_ensure()
        user.save()
        user.groups.add(group)
        return MemberAccount.objects.create(
            user=user, member=member, invited_by=invited_by, language=language
        )


def member_account_invite(**fields) -> MemberAccount:
    """:func:`member_account_create` without a password, and the invitation mail, whose
    link lets the person set one within ``MEMBER_INVITATION_VALIDITY``. The mail leaves
    after the commit; ``invitation_sent`` on the result tells whether it left."""
    account = member_account_create(**fields)
    account.invitation_sent = invitation_send(account)
    return account


def member_account_reinvite(*, account: MemberAccount, invited_by: str) -> MemberAccount:
    """A new invitation for an account that has not set its password yet; the link of
    the earlier one stops working."""
    if account.user.has_usable_password():
        raise ValidationError(
            _("Dieses Konto hat schon ein Passwort; eine Einladung ist nicht nötig.")
        )
    with transaction.atomic():
        account.user.set_unusable_password()  # a new random marker: old links fail
        account.user.save(update_fields=["password"])
        account.invited_at = timezone.now()
        account.invited_by = invited_by
        account.save(update_fields=["invited_at", "invited_by"])
    account.invitation_sent = invitation_send(account)
    return account


def member_account_active_set(*, account: MemberAccount, active: bool) -> MemberAccount:
    """Deactivate or reactivate an account. A deactivated account cannot log in, and its
    open sessions no longer count (Django ignores inactive users)."""
    account.user.is_active = active
    account.user.save(update_fields=["is_active"])
    return account


def account_password_set(*, user, password: str) -> None:
    """The person's own password, set through their invitation (already validated)."""
    user.set_password(password)
    user.save(update_fields=["password"])


# --- Invitation links and mails ----------------------------------------------------------


def _invitation_state(user) -> str:
    """Changes when the password does (also a new unusable one): a link works once."""
    return salted_hmac(INVITATION_SALT, f"{user.pk}:{user.password}").hexdigest()[:20]


def invitation_token(user) -> str:
    return signing.dumps({"u": user.pk, "s": _invitation_state(user)}, salt=INVITATION_SALT)


class InvitationInvalid(Exception):
    """The link is not (or no longer) an invitation: used, replaced or made up."""


class InvitationExpired(InvitationInvalid):
    """The invitation is older than ``MEMBER_INVITATION_VALIDITY``."""


def invitation_account(token: str) -> MemberAccount:
    """The account an invitation link is for, if it may still set its password."""
    try:
        data = signing.loads(
            token,
            salt=INVITATION_SALT,
            max_age=settings.MEMBER_INVITATION_VALIDITY.total_seconds(),
        )
    except signing.SignatureExpired as error:
        raise InvitationExpired from error
    except signing.BadSignature as error:
        raise InvitationInvalid from error
    account = (
        MemberAccount.objects.select_related("user", "member").filter(user_id=data.get("u")).first()
    )
    if (
        account is None
        or not account.user.is_active
        or account.user.has_usable_password()
        or _invitation_state(account.user) != data.get("s")
    ):
        raise InvitationInvalid
    return account


def network_url() -> str:
    """The network site's address (the public schema's default Site)."""
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    return site.root_url if site else settings.WAGTAILADMIN_BASE_URL


def invitation_send(account: MemberAccount) -> bool:
    """Mail the invitation link, in the account's language. A mail server that refuses
    is logged, and the editor can invite again; the account stays as it is."""
    site_name = settings.NETWORK_NAME
    with translation.override(account.language):
        path = reverse("member_area:invitation", args=[invitation_token(account.user)])
        context = {
            "account": account,
            "site_name": site_name,
            "link": network_url() + path,
            "expires_at": account.invitation_expires_at,
        }
        subject = _("Einladung in den Mitgliederbereich – %(site)s") % {"site": site_name}
        text = render_to_string("member_area/mail/invitation.txt", context)
        html = render_to_string("member_area/mail/invitation.html", context)
    message = EmailMultiAlternatives(subject, text, site_sender(site_name), [account.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (SMTPException, OSError) as error:
        logger.error("Invitation to %s not sent: %s", account.pk, error)
        return False
    return True
