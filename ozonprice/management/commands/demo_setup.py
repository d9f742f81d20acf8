import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from ozonprice.models import Account, ShowcaseSource
from ozonprice.schedule import schedules_install
from ozonprice.services import api_secret_generate, api_secret_is_set

# The two seller accounts of the demo: the sandbox (`ozon_sandbox --accounts 2`) serves each its own catalogue.
DEMO_ACCOUNTS = (
    {"name": "Demo ИП", "client_id": "sandbox", "api_key": "sandbox-key"},
    {"name": "Demo Brand LLC", "client_id": "sandbox-2", "api_key": "sandbox-2-key"},
)
# Set when an account is made, not on every start: a setting changed in the admin stays changed.
# The showcase as buyers see it (Ozon's prices/details; the sandbox has Premium Pro).
DEMO_ACCOUNT_SETTINGS = {"showcase_source": ShowcaseSource.OZON_DETAILS}


def demo_accounts_setup() -> list[Account]:
    """The demo's accounts, made or given the sandbox's credentials again (by Client-Id: an older demo's
    one account, made from the environment, becomes the first)."""
    return [
        Account.objects.update_or_create(
            client_id=spec["client_id"],
            defaults={"name": spec["name"], "api_key": spec["api_key"], "active": True},
            create_defaults={**spec, **DEMO_ACCOUNT_SETTINGS},
        )[0]
        for spec in DEMO_ACCOUNTS
    ]


class Command(BaseCommand):
    help = (
        "Prepare the `make run` demo: its two Ozon accounts (the sandbox's), their schedules, and a demo admin "
        "and an API key when none exist. Their secrets are written once to the credentials file and printed "
        "by `make run`."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--credentials-file", default="demo/credentials.txt")

    def handle(self, *args, credentials_file: str, **options) -> None:
        accounts = demo_accounts_setup()
        schedules_install()
        listed = ", ".join(f"{account.name} (Client-Id {account.client_id})" for account in accounts)
        self.stdout.write(f"demo accounts: {listed}")
        path = Path(credentials_file)
        lines = []
        User = get_user_model()
        if not User.objects.filter(is_superuser=True).exists():
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser("admin", "admin@example.com", password)
            lines.append(f"Admin login: admin / password: {password}")
        if not api_secret_is_set():
            lines.append(f"API key (header X-API-Key): {api_secret_generate()}")
        if lines:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(lines) + "\n")
            path.chmod(0o600)
            self.stdout.write(f"demo ready: {', '.join(line.split(':')[0] for line in lines)} created")
        else:
            self.stdout.write("demo ready: admin and API key already exist")
        if not path.exists():
            path.write_text("Admin and API key existed before this demo; see manage.py changepassword\n")
