from django.core.management.base import BaseCommand

from ozonprice.account_services import account_bootstrap
from ozonprice.schedule import schedules_install


class Command(BaseCommand):
    help = (
        "Make the account of OZON_CLIENT_ID/OZON_API_KEY if no account has that Client-Id, then install or update "
        "every background schedule: the catalogue and price jobs once per active account (idempotent)."
    )

    def handle(self, *args, **options) -> None:
        account = account_bootstrap()
        if account is not None:
            self.stdout.write(f"account from the environment: {account.name} (Client-Id {account.client_id})")
        schedules = schedules_install()
        listed = ", ".join(f"{s.name} every {s.minutes} min" for s in schedules)
        self.stdout.write(f"schedules installed: {listed}")
