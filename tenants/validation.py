"""Checks on provisioning input, each failing with one sentence that says what to do."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from core.schemas import is_system_schema
from tenants.models import Member

SLUG_MAX_LENGTH = 40
SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]*[a-z0-9]$|^[a-z]$")
HOST_LABEL_PATTERN = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
RESERVED_SLUGS = {"public", "information-schema", "information_schema", "network", "template"}


class ProvisioningError(ValueError):
    """Refused provisioning input or a failed step; the message is meant for people."""


def schema_name_for(slug: str) -> str:
    """Schema names cannot contain hyphens unquoted everywhere; slugs use them for domains."""
    return slug.replace("-", "_")


def validate_member_slug(slug: str) -> str:
    if not slug:
        raise ProvisioningError(_("Das Kürzel fehlt: bitte z. B. --slug herten angeben."))
    if len(slug) > SLUG_MAX_LENGTH:
        raise ProvisioningError(
            _("Das Kürzel „%(slug)s“ ist %(length)s Zeichen lang; erlaubt sind höchstens %(max)s.")
            % {"slug": slug, "length": len(slug), "max": SLUG_MAX_LENGTH}
        )
    schema = schema_name_for(slug)
    if slug in RESERVED_SLUGS or is_system_schema(schema) or schema.startswith("pg_"):
        raise ProvisioningError(
            _("Das Kürzel „%(slug)s“ ist reserviert; bitte ein anderes wählen.") % {"slug": slug}
        )
    if not SLUG_PATTERN.match(slug):
        raise ProvisioningError(
            _(
                "Das Kürzel „%(slug)s“ ist ungültig: erlaubt sind Kleinbuchstaben a-z, Ziffern "
                "und Bindestriche, beginnend mit einem Buchstaben (z. B. kreis-offenbach)."
            )
            % {"slug": slug}
        )
    return slug


def validate_hostname(hostname: str) -> str:
    """A bare host name (no scheme, port or path), returned in lower case."""
    host = (hostname or "").strip().lower()
    labels = host.split(".")
    if (
        not host
        or len(host) > 253
        or len(labels) < 2
        or not all(HOST_LABEL_PATTERN.match(label) for label in labels)
    ):
        raise ProvisioningError(
            _(
                "„%(host)s“ ist kein gültiger Hostname: erwartet wird z. B. herten.localhost "
                "oder herten.example.org, ohne http://, Port oder Pfad."
            )
            % {"host": hostname}
        )
    return host


def validate_member_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ProvisioningError(
            _('Der Name fehlt oder ist länger als 100 Zeichen (z. B. --name "Stadt Herten").')
        )
    return name


def validate_member_kind(kind: str) -> str:
    if kind not in Member.Kind.values:
        raise ProvisioningError(
            _("Unbekannte Art „%(kind)s“; erlaubt: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(Member.Kind.values)}
        )
    return kind


def validate_member_state(state: str) -> str:
    if state not in Member.State.values:
        raise ProvisioningError(
            _("Unbekannter Status „%(state)s“; erlaubt: %(states)s.")
            % {"state": state, "states": ", ".join(Member.State.values)}
        )
    return state


def validate_coordinator_email(email: str | None) -> str | None:
    if not email:
        return None
    try:
        validate_email(email)
    except ValidationError:
        raise ProvisioningError(
            _("„%(email)s“ ist keine gültige E-Mail-Adresse.") % {"email": email}
        ) from None
    return email.strip().lower()


def validate_coordinator_password(password: str | None, email: str | None) -> str | None:
    """A given password must pass ``AUTH_PASSWORD_VALIDATORS`` like any other account's
    (compared with the coordinator's e-mail address); none given: one is generated."""
    if not password:
        return None
    try:
        validate_password(password, user=get_user_model()(username=email, email=email))
    except ValidationError as error:
        raise ProvisioningError(
            _("Das Passwort der Koordination ist zu schwach: %(reasons)s")
            % {"reasons": " ".join(error.messages)}
        ) from None
    return password
