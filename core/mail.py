"""Outgoing mail: Django's e-mail framework, SMTP in production (``EMAIL_URL``).

Without ``EMAIL_URL`` (development, tests) mails are written to ``EMAIL_FILE_PATH`` as
one ``.eml`` file each, which any mail program opens; Django's own file backend would
append every mail of a connection to one log file instead.
"""

import threading
from datetime import datetime
from email.utils import formataddr
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


def site_sender(site_name: str) -> str:
    """``DEFAULT_FROM_EMAIL`` with the site's name as the sender's name."""
    return formataddr((site_name, settings.DEFAULT_FROM_EMAIL))


class EmlFileBackend(BaseEmailBackend):
    """Writes each message to ``EMAIL_FILE_PATH/<time>-<random>.eml``."""

    _lock = threading.Lock()

    def send_messages(self, email_messages) -> int:
        folder = Path(settings.EMAIL_FILE_PATH)
        sent = 0
        with self._lock:
            folder.mkdir(parents=True, exist_ok=True)
            for message in email_messages:
                if not message.recipients():
                    continue
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
                target = folder / f"{stamp}-{uuid4().hex[:8]}.eml"
                partial = target.with_suffix(".part")
                partial.write_bytes(message.message().as_bytes(linesep="\r\n"))
                partial.rename(target)  # a reader never sees half a mail
                sent += 1
        return sent
