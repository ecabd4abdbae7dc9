"""Sending Celery tasks from a request or a commit: a broker that is down must not stop it.

Celery's own sending retries a lost broker for seconds (the publish retry policy) and
waits without limit for a broker that accepts the connection but does not answer,
while the editor waits. Here a send makes one attempt, with socket timeouts of
``REDIS_TIMEOUT_SECONDS`` (only on this connection: the worker's own keep Celery's
defaults) and, when it fails, is logged and dropped: every task sent this way needs a
periodic task that heals what a lost send missed (``highlights.reconcile`` for the
copy pipeline).
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from celery import Task
from django.conf import settings

logger = logging.getLogger(__name__)

_held: ContextVar[bool] = ContextVar("task_sends_held", default=False)


@contextmanager
def sends_held():
    """No task is sent inside: for bulk work (an import of thousands of pages) that ends
    by sending the site-wide tasks itself, instead of one per changed page."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


def task_send(task: Task, *args, healed_by: str) -> bool:
    """Send ``task(*args)`` now; when the broker is unreachable log it and return False.

    ``healed_by`` names what makes up for a lost send, for the log.
    """
    if _held.get():
        logger.debug("Task %s held back (bulk work sends site-wide tasks at its end)", task.name)
        return False
    timeout = settings.REDIS_TIMEOUT_SECONDS
    options = {"max_retries": 0, "socket_timeout": timeout, "socket_connect_timeout": timeout}
    try:
        with task.app.connection_for_write(transport_options=options) as conn:
            task.apply_async(args, retry=False, connection=conn)
    except Exception:  # kombu, redis-py and socket errors alike: the request goes on
        logger.warning(
            "Task %s(%s) not sent (broker unreachable?); %s will make up for it.",
            task.name,
            ", ".join(str(arg) for arg in args),
            healed_by,
            exc_info=True,
        )
        return False
    return True
