from django.core.management.base import BaseCommand

from ozonprice.services import api_secret_generate


class Command(BaseCommand):
    help = "Generate a new API key (X-API-Key) and print it once. The previous key stops working."

    def handle(self, *args, **options) -> None:
        secret = api_secret_generate()
        self.stdout.write(f"New API key (shown once): {secret}")
