"""One cheap Ozon read with an account's credentials, one quick try: the account page's "Test connection"
and the health probe (console/health.py) both ask Ozon this way."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ozonprice.clients.http import ApiError, RetryPolicy
from ozonprice.clients.ozon import OzonClient
from ozonprice.fields import EncryptionKeyError
from ozonprice.models import Account

logger = logging.getLogger(__name__)

# Someone waits for the answer (a manager, a load balancer): a short timeout and no retry.
CHECK_TIMEOUT = (2.0, 5.0)


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    message: str


def ozon_read_once(account: Account, *, timeout: tuple[float, float] = CHECK_TIMEOUT) -> None:
    """Read one product of the account's catalogue (/v3/product/list, limit 1) through the one HTTP seam.

    The call is audited like every Ozon call; no rate-budget wait (a click or a
    probe, not a run), no retry: the answer is the state of the credentials now.
    Raises ApiError (missing credentials too) and EncryptionKeyError.
    """
    client = OzonClient.of(account, rate_limit=0, timeout=timeout, retry=RetryPolicy(max_retries=0))
    try:
        next(client.product_list_pages(limit=1), None)
    finally:
        client.close()


def account_connection_check(*, account: Account) -> ConnectionCheck:
    """Whether Ozon accepts the account's Client-Id and Api-Key now, as a message for the manager."""
    try:
        configured = bool(account.client_id and account.api_key)
    except EncryptionKeyError:
        logger.exception("account %s: the stored Api-Key cannot be decrypted", account.pk)
        return ConnectionCheck(False, _("The stored Api-Key cannot be decrypted: enter it again."))
    if not configured:
        return ConnectionCheck(False, _("Enter the account's Client-Id and Api-Key first."))
    try:
        ozon_read_once(account)
    except ApiError as error:
        if error.status in (401, 403):
            return ConnectionCheck(
                False, _("Ozon refused the Client-Id and Api-Key (HTTP %(status)s).") % {"status": error.status}
            )
        return ConnectionCheck(False, _("Ozon did not answer as expected: %(error)s") % {"error": error.message})
    return ConnectionCheck(True, _("Ozon accepted the Client-Id and Api-Key."))
