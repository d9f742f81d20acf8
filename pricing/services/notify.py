"""Tell the managers which price changes failed and why: e-mail, and Telegram when configured."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from ozonprice.clients.http import ApiError
from ozonprice.clients.telegram import telegram_send
from ozonprice.models import Account, RuntimeSettings

logger = logging.getLogger(__name__)
LISTED = 50  # lines in one message; the rest are counted


def failures_message(failures: list[dict[str, str]], *, account: Account | None = None) -> str:
    """The report's text; with several accounts the managers must know whose changes failed."""
    if account is None:
        lines = [_("%(count)d price change(s) failed verification:") % {"count": len(failures)}]
    else:
        lines = [
            _("%(count)d price change(s) of the account %(account)s failed verification:")
            % {"count": len(failures), "account": account.name}
        ]
    lines += [f"- {f['offer_id']} ({f['product_id']}): {f['error']}" for f in failures[:LISTED]]
    if len(failures) > LISTED:
        lines.append(_("…and %(more)d more") % {"more": len(failures) - LISTED})
    return "\n".join(lines)


def failures_notify(failures: list[dict[str, str]], *, account: Account | None = None) -> list[str]:
    """Send the failure report (of `account`'s changes) to every configured channel; returns the channels reached.

    The channels are global (runtime settings): one team watches every account.
    """
    runtime = RuntimeSettings.load()
    text = failures_message(failures, account=account)
    reached = []
    emails = [line.strip() for line in runtime.notify_emails.splitlines() if line.strip()]
    if emails:
        try:
            send_mail(_("ozonprice: price changes failed"), text, settings.DEFAULT_FROM_EMAIL, emails)
            reached.append("email")
        except OSError as error:
            logger.error("failure e-mail not sent: %s", error)
    if runtime.telegram_bot_token and runtime.telegram_chat_id:
        try:
            telegram_send(token=runtime.telegram_bot_token, chat_id=runtime.telegram_chat_id, text=text)
            reached.append("telegram")
        except ApiError as error:
            logger.error("failure Telegram message not sent: %s", error)
    if not reached:
        logger.warning("%s", text)
    return reached
