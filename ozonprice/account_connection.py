"""The account page's "Test connection": one cheap Ozon read with the account's credentials, one quick try."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ozonprice.clients.http import ApiError, RetryPolicy
from ozonprice.fields import EncryptionKeyError
from ozonprice.models import Account

logger = logging.getLogger(__name__)

# A manager waits for the answer: a short timeout and no retry, as the health probe (console/health.py).
CHECK_TIMEOUT = (2.0, 5.0)


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    message: str


def account_connection_check(*, account: Account) -> ConnectionCheck:
    """Read one product of the account's catalogue (/v3/product/list, limit 1) through the one HTTP seam.

    The call is audited like every Ozon call; no rate-budget wait (a manager's click, not a run),
    no retry: the answer is the state of the credentials now.
    """
    from ozonprice.clients.ozon import OzonClient

    try:
        client = OzonClient.of(account, rate_limit=0, timeout=CHECK_TIMEOUT, retry=RetryPolicy(max_retries=0))
    except EncryptionKeyError:
        logger.exception("account %s: the stored Api-Key cannot be decrypted", account.pk)
        return ConnectionCheck(False, _("The stored Api-Key cannot be decrypted: enter it again."))
    except ApiError:
        return ConnectionCheck(False, _("Enter the account's Client-Id and Api-Key first."))
    try:
        next(client.product_list_pages(limit=1), None)
    except ApiError as error:
        if error.status in (401, 403):
            return ConnectionCheck(
                False, _("Ozon refused the Client-Id and Api-Key (HTTP %(status)s).") % {"status": error.status}
            )
        return ConnectionCheck(False, _("Ozon did not answer as expected: %(error)s") % {"error": error.message})
    finally:
        client.close()
    return ConnectionCheck(True, _("Ozon accepted the Client-Id and Api-Key."))
