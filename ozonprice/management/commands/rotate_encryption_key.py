from django.core.management.base import BaseCommand, CommandError

from ozonprice.fields import EncryptionKeyError
from ozonprice.services import secrets_reencrypt


class Command(BaseCommand):
    help = (
        "Re-encrypt the stored secrets with the first FIELD_ENCRYPTION_KEY. Rotation: put the new key "
        "first (FIELD_ENCRYPTION_KEY=new,old), run this, then drop the old key."
    )

    def handle(self, *args, **options) -> None:
        try:
            count = secrets_reencrypt()
        except EncryptionKeyError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"re-encrypted {count} stored secrets with the first key")
