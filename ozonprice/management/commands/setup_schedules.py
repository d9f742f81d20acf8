from django.core.management.base import BaseCommand

from ozonprice.schedule import schedules_install


class Command(BaseCommand):
    help = "Install or update every background schedule (idempotent)."

    def handle(self, *args, **options) -> None:
        schedules = schedules_install()
        listed = ", ".join(f"{s.name} every {s.minutes} min" for s in schedules)
        self.stdout.write(f"schedules installed: {listed}")
