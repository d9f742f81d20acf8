from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from ozonprice.accounts import AccountError, account_get
from ozonprice.keys import api_key_create
from ozonprice.services import api_secret_generate


class Command(BaseCommand):
    help = (
        "Make a named API key (X-API-Key) and print its secret once: "
        "--name N --scopes read,prices,images,settings [--accounts 'Ozon,Brand' | --all-accounts] [--expires DATE]. "
        "Without --name (as before named keys): a new secret for the key named 'default' "
        "(every scope, every account); its previous secret stops working."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--name", help="The key's name, unique (for example ImageStudio).")
        parser.add_argument("--scopes", default="", help="Comma-separated: read, prices, images, settings.")
        parser.add_argument("--accounts", default="", help="Comma-separated account names, ids or Client-Ids.")
        parser.add_argument("--all-accounts", action="store_true", help="Every account, also those added later.")
        parser.add_argument("--expires", help="Expiry: a date (midnight, local time) or a date and time.")

    def handle(self, *args, name=None, scopes="", accounts="", all_accounts=False, expires=None, **options) -> None:
        if not name:
            if scopes or accounts or all_accounts or expires:
                raise CommandError("--scopes, --accounts, --all-accounts and --expires need --name.")
            self.stdout.write(f"New API key (shown once): {api_secret_generate()}")
            return
        try:
            chosen = [account_get(ref) for ref in accounts.split(",") if ref.strip()]
        except AccountError as error:
            raise CommandError(f"--accounts: {error}") from None
        try:
            key, secret = api_key_create(
                name=name,
                scopes=[scope.strip() for scope in scopes.split(",") if scope.strip()],
                accounts=chosen,
                all_accounts=all_accounts,
                expires_at=_expiry(expires),
                created_by="manage.py create_api_key",
            )
        except ValidationError as error:
            options_named = {"expires_at": "expires"}
            raise CommandError(
                "; ".join(f"--{options_named.get(f, f)}: {' '.join(m)}" for f, m in error.message_dict.items())
            ) from None
        self.stdout.write(f"New API key {key.name} (shown once): {secret}")


def _expiry(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = parse_datetime(text)
        day = None if moment else parse_date(text)
    except ValueError:
        moment = day = None
    if moment is None:
        if day is None:
            raise CommandError(f"--expires: not a date: {text!r} (for example 2027-01-01).")
        moment = datetime.combine(day, time.min)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
