"""`manage.py ozon_sandbox`: serve the local Ozon Seller API test double."""

from __future__ import annotations

import gc
import signal
import threading
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ozonprice.sandbox.products import demo_products_warm
from ozonprice.sandbox.server import OzonSandbox
from ozonprice.sandbox.state import state_dump, state_load, state_read, state_write

# Seconds between checks for a changed state to save (`--state-file`).
SAVE_EVERY_S = 2.0


class Command(BaseCommand):
    help = (
        "Serve a local TEST DOUBLE of Ozon's Seller API on 127.0.0.1 with a deterministic demo catalogue. "
        "It is never the real Ozon: nothing sent to it reaches a store. Point OZON_API_URL at the printed URL "
        "(with the same Client-Id / Api-Key) to use it. Besides the catalogue it takes price imports "
        "(/v1/product/import/prices, judged by Ozon's rules, 10 changes per product an hour), answers "
        "/v1/product/prices/details, imports pictures (/v2/product/pictures/import, /v1/product/import/info, "
        "/v2/product/pictures/info) and serves a fake Front Price API at the same URL "
        "(GET /api/v1/seller/<id>?page=N, no auth), and models promotions (/v1/actions*, /v1/seller-actions/*), "
        "min-price timers (/v1/product/action/timer/*) and buyer discount requests "
        "(/v2/actions/discounts-task/list, approve, decline). Stops on Ctrl-C or SIGTERM."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port", type=int, default=8001, help="port on 127.0.0.1 (0 = any free port; default 8001)"
        )
        parser.add_argument("--products", type=int, default=300, help="demo catalogue size (default 300)")
        parser.add_argument("--seed", type=int, default=1, help="catalogue seed: same seed, same products (default 1)")
        parser.add_argument(
            "--latency-ms",
            type=int,
            default=0,
            help="time to every answer, in ms, the double's own work included (default 0)",
        )
        parser.add_argument(
            "--fail-rate",
            type=float,
            default=0.0,
            help="share of requests (0..1) answered with Ozon's 429 or 500, for resilience drills (default 0)",
        )
        parser.add_argument(
            "--rate-limit",
            type=int,
            default=50,
            metavar="N",
            help="requests a second per Client-Id before Ozon's 429 with Retry-After, as Ozon (0 = none; default 50)",
        )
        parser.add_argument("--client-id", default="sandbox", help='Client-Id the sandbox accepts (default "sandbox")')
        parser.add_argument(
            "--api-key", default="sandbox-key", help='Api-Key the sandbox accepts (default "sandbox-key")'
        )
        parser.add_argument(
            "--accounts",
            type=int,
            default=1,
            metavar="N",
            help=(
                "seller accounts to serve, each with its own catalogue of --products: the first is --client-id / "
                "--api-key, the next <client-id>-2 / <client-id>-2-key, … with seeds --seed, --seed + 1, … "
                "(default 1)"
            ),
        )
        parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
        parser.add_argument(
            "--state-file",
            default=None,
            metavar="PATH",
            help=(
                "keep the sandbox's state (prices sent, promotions, decisions) in this JSON file: loaded at start, "
                "saved when it changes and at stop, so a restart continues where it stopped (the demo uses it)"
            ),
        )
        prices = parser.add_argument_group("prices and the storefront")
        prices.add_argument(
            "--storefront-delay",
            type=float,
            default=0.0,
            metavar="S",
            help="seconds before an accepted price import reaches the storefront (default 0)",
        )
        prices.add_argument(
            "--price-apply-delay",
            type=float,
            default=0.0,
            metavar="S",
            help="seconds before an accepted price import shows in v3 info and v5 prices (default 0)",
        )
        prices.add_argument(
            "--marketplace-discount-share",
            type=float,
            default=0.0,
            metavar="X",
            help="share of products (0..1) whose showcase Ozon discounts below the seller's price (default 0)",
        )
        prices.add_argument(
            "--marketplace-discount-percent",
            type=float,
            default=5.0,
            metavar="P",
            help="how far below, in percent, for those products (default 5)",
        )
        prices.add_argument(
            "--no-premium-pro",
            action="store_true",
            help="the seller has no Premium Pro: /v1/product/prices/details answers 403",
        )
        prices.add_argument(
            "--front-seller-id",
            default=None,
            metavar="ID",
            help=(
                "the only seller id the Front Price API serves (default: any id); with --accounts, the first "
                "account's, the next <id>-2, …"
            ),
        )
        prices.add_argument(
            "--front-page-size",
            type=int,
            default=100,
            metavar="N",
            help="Front Price API products a page (default 100)",
        )
        pictures = parser.add_argument_group("pictures")
        pictures.add_argument(
            "--pictures-delay",
            type=float,
            default=0.5,
            metavar="S",
            help="seconds until a picture import task finishes (default 0.5)",
        )
        pictures.add_argument(
            "--pictures-per-minute",
            type=int,
            default=60,
            metavar="N",
            help="picture import items allowed a minute before 429 (0 = no quota; default 60)",
        )

        promotions = parser.add_argument_group("promotions")
        promotions.add_argument(
            "--demo-promotions",
            action="store_true",
            help=(
                "seed deterministic demo promotions: ~40%% of products in Ozon's or the seller's actions "
                "8-25%% under their price, ~10%% with a marketplace discount, ~5%% with a NEW buyer discount request"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        products = options["products"]
        if products < 0:
            raise CommandError("--products must be ≥ 0")
        if options["accounts"] < 1:
            raise CommandError("--accounts must be ≥ 1")
        if options["rate_limit"] < 0:
            raise CommandError("--rate-limit must be ≥ 0")
        if not 0 <= options["port"] <= 65535:
            raise CommandError("--port must be between 0 and 65535")
        try:
            sandbox = OzonSandbox(
                products=products,
                seed=options["seed"],
                latency_ms=options["latency_ms"],
                fail_rate=options["fail_rate"],
                port=options["port"],
                client_id=options["client_id"],
                api_key=options["api_key"],
                verbose=options["verbose"],
                storefront_delay_s=options["storefront_delay"],
                price_apply_delay_s=options["price_apply_delay"],
                marketplace_discount_share=options["marketplace_discount_share"],
                marketplace_discount_percent=options["marketplace_discount_percent"],
                premium_pro=not options["no_premium_pro"],
                front_seller_id=options["front_seller_id"],
                front_page_size=options["front_page_size"],
                pictures_delay_s=options["pictures_delay"],
                pictures_per_minute=options["pictures_per_minute"],
                promotions=options["demo_promotions"],
                rate_limit=options["rate_limit"],
                accounts=options["accounts"],
            )
            state_file = Path(options["state_file"]) if options["state_file"] else None
            saved = state_read(state_file) if state_file else None
            if saved is not None:
                state_load(sandbox, saved)
            # The catalogue is built before the port opens, then kept out of the
            # collector's full passes (they walked every cached product, again and again).
            for shop in sandbox.shops.values():
                demo_products_warm(shop.seed, products, shop.catalog.first)
            gc.freeze()
            sandbox.start()
        except ValueError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"cannot listen on 127.0.0.1:{options['port']}: {error}") from None

        stopping = threading.Event()
        previous: dict[signal.Signals, Any] = {}
        try:
            # SIGTERM (from `terminate()` or a process manager) and SIGINT (Ctrl-C, also
            # when a shell started us in the background with SIGINT ignored) end the loop.
            for signum in (signal.SIGTERM, signal.SIGINT):
                previous[signum] = signal.signal(signum, lambda signum, frame: stopping.set())
        except ValueError:  # not the main thread (e.g. call_command from a thread)
            pass
        # The first line ends with the URL (scripts take its last word); the second tells the options.
        self.stdout.write(f"Ozon sandbox (test double) serving {products} products on {sandbox.url}")
        self.stdout.write(_describe(sandbox, options))
        for shop in sandbox.shops.values():
            # A test double's made-up credentials: printed so that a second account can be set up with them.
            catalog = shop.catalog
            self.stdout.write(
                f"  account {shop.number + 1}: Client-Id {shop.client_id}, Api-Key {shop.api_key}, "
                f"{catalog.size} products (product_id from {catalog.product_id_of(catalog.first)}, seed {shop.seed})"
            )
        if saved is not None:
            self.stdout.write(f"  state loaded from {state_file}")
        self.stdout.flush()
        last = saved
        try:
            # A timed wait, so a KeyboardInterrupt still gets through where no handler is set.
            while not stopping.wait(SAVE_EVERY_S if state_file else 0.5):
                if state_file:
                    last = _save_if_changed(sandbox, state_file, last)
        except KeyboardInterrupt:
            pass
        finally:
            sandbox.stop()
            if state_file:
                _save_if_changed(sandbox, state_file, last)
            for signum, handler in previous.items():
                signal.signal(signum, handler)


def _save_if_changed(sandbox: OzonSandbox, path: Path, last: dict[str, Any] | None) -> dict[str, Any]:
    """Write the state when it differs from what was last written (a small catalogue dumps in milliseconds)."""
    current = state_dump(sandbox)
    if current != last:
        state_write(path, current)
    return current


def _describe(sandbox: OzonSandbox, options: dict[str, Any]) -> str:
    seller = options["front_seller_id"] or "<any id>"
    share = options["marketplace_discount_share"]
    discount = (
        f"marketplace discount {options['marketplace_discount_percent']:g}% on {share:.0%} of products"
        if share
        else "no marketplace discount"
    )
    quota = options["pictures_per_minute"] or "unlimited"
    seeding = sandbox.promotion_seeding
    promotions = (
        f"; demo promotions: {len(seeding.in_promotions)} products in "
        f"{len(seeding.action_ids) + len(seeding.seller_action_ids)} actions, "
        f"{len(seeding.discount_requests)} discount requests"
        if seeding is not None
        else ""
    )
    rate = f"{options['rate_limit']} requests/s per Client-Id" if options["rate_limit"] else "no rate limit"
    return (
        f"  Front Price API {sandbox.url}/api/v1/seller/{seller}?page=N; "
        f"storefront delay {options['storefront_delay']:g}s; {discount}; "
        f"Premium Pro {'off' if options['no_premium_pro'] else 'on'}; "
        f"pictures tasks {options['pictures_delay']:g}s, {quota} items/min{promotions}; {rate}"
    )
