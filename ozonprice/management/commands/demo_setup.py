import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from ozonprice.services import api_secret_generate, api_secret_is_set


class Command(BaseCommand):
    help = (
        "Prepare the `make run` demo: a demo admin and an API key when none exist. "
        "Their secrets are written once to the credentials file and printed by `make run`."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--credentials-file", default="demo/credentials.txt")

    def handle(self, *args, credentials_file: str, **options) -> None:
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
