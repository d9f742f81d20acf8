from django.core.management.base import BaseCommand, CommandError

from imagepush.repoll import REPOLL_MAX_TASKS, image_pushes_repoll
from ozonprice.runs import task_run


class Command(BaseCommand):
    help = (
        "Settle image pushes left `sent` (Ozon had not finished its import task): read each task once, record "
        "the finished items and the pictures Ozon holds now; exits non-zero on errors."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--max-tasks",
            type=int,
            default=REPOLL_MAX_TASKS,
            help=f"import tasks to read in this run (default {REPOLL_MAX_TASKS})",
        )

    @task_run("repoll_image_pushes")
    def handle(self, *args, max_tasks: int, **options) -> None:
        if max_tasks < 1:
            raise CommandError("--max-tasks must be at least 1")
        result = image_pushes_repoll(max_tasks=max_tasks)
        for error in result.errors:
            self.stderr.write(error)
        if not result.ok or result.skipped:
            raise CommandError(result.summary())
        self.stdout.write(result.summary())
