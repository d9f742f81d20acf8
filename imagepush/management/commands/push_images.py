from django.core.management.base import BaseCommand, CommandError

from imagepush.models import PushSource
from imagepush.services import WAIT_S, Kind, image_push_submit
from ozonprice.runs import task_run


class Command(BaseCommand):
    help = (
        "Replace one Ozon product's pictures (stored credentials), wait for Ozon's import task "
        "and print a one-line summary; exits non-zero on failure."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--product-id", type=int, required=True, help="Ozon product_id")
        parser.add_argument(
            "--image",
            dest="images",
            action="append",
            required=True,
            metavar="URL",
            help="an image URL; repeat in order, the first is the main image",
        )
        parser.add_argument("--color-image", default="", metavar="URL", help="the marketing color image")
        parser.add_argument("--wait", type=float, default=WAIT_S, help=f"seconds to wait for Ozon (default {WAIT_S:g})")

    @task_run("push_images")
    def handle(self, *args, **options) -> None:
        outcome = image_push_submit(
            data={
                "product_id": options["product_id"],
                "images": options["images"],
                "color_image": options["color_image"],
            },
            source=PushSource.COMMAND,
            requested_by="manage.py push_images",
            wait_s=options["wait"],
        )
        push = outcome.push
        if not outcome.ok:
            reasons = "; ".join(
                f"{e['field']}[{e['index']}]: {e['reason']}"
                if e["index"] is not None
                else f"{e['field']}: {e['reason']}"
                for e in outcome.errors
            )
            detail = f"invalid request: {reasons}" if outcome.kind == Kind.INVALID else push.error
            raise CommandError(f"push_images FAILED: product {options['product_id']}: {detail}")
        self.stdout.write(
            f"push_images ok: product {push.product_id} ({push.offer_id}) {push.status}, task {push.task_id}, "
            f"{len(push.current_images or [])} images on Ozon, main {push.current_images[0] if push.current_images else '-'}"
        )
