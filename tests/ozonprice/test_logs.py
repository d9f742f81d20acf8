"""Logs an operator can read: every app logger reaches the handler, JSON lines, one run id per task run."""

from __future__ import annotations

import copy
import io
import json
import logging
import logging.config
import re
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from auditlog.models import ApiLogEntry, Direction
from catalog.services.sync import sku_sync_all
from catalog.tasks import monitor_products
from ozonprice.accounts import account_run_name
from ozonprice.clients.ozon import OzonClient
from ozonprice.leases import task_lease
from ozonprice.models import TaskLease
from ozonprice.runs import RunContextFilter, current_run_id, task_run
from pricing.models import JobKind
from pricing.services.jobs import admin_job_start
from pricing.tasks import verify_price_changes
from tests.factories import UserFactory, account_default
from tests.fakes.ozon import BASE, FakeOzon, product
from tests.fakes.pictures import FakePictures

RUN_ID = re.compile(r"^[0-9a-f]{12}$")


def project_apps() -> list:
    """The project's own Django apps (those under BASE_DIR), not the installed libraries.

    The virtualenv may live under BASE_DIR too (`make` puts it in `.venv`): its packages are not the project's.
    """
    base = Path(settings.BASE_DIR).resolve()
    return [
        app
        for app in apps.get_app_configs()
        if base in Path(app.path).resolve().parents and "site-packages" not in Path(app.path).resolve().parts
    ]


def module_loggers() -> list[str]:
    """`logging.getLogger(__name__)` names of every module of every project app."""
    base = Path(settings.BASE_DIR).resolve()
    names = []
    for app in project_apps():
        for path in sorted(Path(app.path).rglob("*.py")):
            if "getLogger(__name__)" in path.read_text(encoding="utf-8"):
                names.append(".".join(path.resolve().relative_to(base).with_suffix("").parts))
    return names


@pytest.fixture
def configured_logs():
    """The real LOGGING dict applied with its handler writing to a buffer; `configure(fmt)` returns it.

    Every logger's state is put back afterwards, so later tests see the process's own setup.
    """
    manager = logging.Logger.manager
    saved = {
        name: (list(lg.handlers), lg.level, lg.propagate, lg.disabled)
        for name, lg in [*manager.loggerDict.items(), ("", logging.getLogger())]
        if isinstance(lg, logging.Logger)
    }

    def configure(log_format: str | None = None) -> io.StringIO:
        stream = io.StringIO()
        config = copy.deepcopy(settings.LOGGING)
        config["handlers"]["console"]["stream"] = stream
        if log_format is not None:
            config["handlers"]["console"]["formatter"] = log_format
        logging.config.dictConfig(config)
        return stream

    yield configure
    for name, (handlers, level, propagate, disabled) in saved.items():
        lg = logging.getLogger(name) if name else logging.getLogger()
        lg.handlers[:] = handlers
        lg.setLevel(level)
        lg.propagate, lg.disabled = propagate, disabled


def json_lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def summary(lines: list[dict], start: str) -> dict:
    (line,) = [line for line in lines if line["message"].startswith(start)]
    return line


# --- every logger reaches the handler ---------------------------------------------------
def test_the_walk_finds_the_loggers_of_every_app():
    names = module_loggers()
    assert {app.name for app in project_apps()} == {
        "ozonprice",
        "catalog",
        "pricing",
        "imagepush",
        "auditlog",
        "console",
    }
    for expected in (
        "pricing.services.maintain",
        "pricing.services.verify",
        "catalog.services.showcase",
        "pricing.services.promotions",
        "imagepush.services",
        "catalog.services.sync",
        "auditlog.services",
    ):
        assert expected in names


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_every_logger_of_every_app_and_django_q_reaches_the_handler(configured_logs, log_format):
    stream = configured_logs(log_format)
    names = [*module_loggers(), "django-q"]

    for name in names:
        logging.getLogger(name).info("probe from %s", name)

    text = stream.getvalue()
    for name in names:
        assert text.count(f"probe from {name}") == 1, f"{name} does not reach the configured handler (once)"
    if log_format == "json":
        assert {line["logger"] for line in json_lines(stream)} == set(names)


def test_django_q_logs_through_the_apps_handler_not_a_raw_one_of_its_own():
    """django-q2 adds its own `[Q]` handler when its logger has none at import time (django_q/conf.py)."""
    handlers = logging.getLogger("django-q").handlers
    assert handlers, "django-q has no handler of ours"
    for handler in handlers:
        assert any(isinstance(f, RunContextFilter) for f in handler.filters)
        assert "[Q]" not in (handler.formatter._fmt or "")


# --- JSON lines and run ids ---------------------------------------------------------------
def test_a_run_summary_in_json_has_the_task_its_run_id_and_counts(configured_logs, account):
    stream = configured_logs("json")

    verify_price_changes()

    lines = json_lines(stream)  # every line is one JSON object
    line = summary(lines, "verify ok")
    assert line["level"] == "INFO" and line["logger"] == "pricing.services.verify"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$", line["time"])
    assert line["task"] == account_run_name("verify_price_changes", account) and RUN_ID.match(line["run_id"])
    assert line["counts"] == {
        "checked": 0,
        "applied": 0,
        "confirmed": 0,
        "marketplace_discount": 0,
        "failed": 0,
        "failures": 0,
    }


def test_a_task_runs_log_lines_and_audit_rows_carry_one_run_id(configured_logs, ozon_credentials, no_network, settings):
    settings.OZON_API_URL = BASE
    FakeOzon(products=[product(1), product(2)]).install(no_network)
    stream = configured_logs("json")

    monitor_products()

    lines = json_lines(stream)
    synced, showcase = summary(lines, "sync ok"), summary(lines, "showcase prices ok")
    run_id = synced["run_id"]
    assert RUN_ID.match(run_id) and showcase["run_id"] == run_id
    assert synced["task"] == showcase["task"] == account_run_name("monitor_products", ozon_credentials)
    assert synced["counts"]["fetched"] == 2 and synced["counts"]["calls"] >= 4
    calls = ApiLogEntry.objects.filter(direction=Direction.OUTBOUND)
    assert calls.count() > synced["counts"]["calls"], "the showcase read's calls are in the same run"
    assert set(calls.values_list("run_id", flat=True)) == {run_id}
    assert set(calls.values_list("account", flat=True)) == {ozon_credentials.pk}


def test_each_run_has_its_own_id_and_calls_outside_a_run_have_none(
    configured_logs, ozon_credentials, no_network, settings
):
    settings.OZON_API_URL, settings.LOG_FORMAT = BASE, "json"
    FakeOzon(products=[product(1)]).install(no_network)
    stream = configured_logs("json")

    call_command("ozon_sync")
    call_command("ozon_sync")
    client = OzonClient.of(account_default())
    next(client.product_prices(product_ids=[1001]))
    client.close()

    first, second = [line for line in json_lines(stream) if line["message"].startswith("sync ok")]
    assert first["task"] == second["task"] == "ozon_sync"
    assert first["run_id"] != second["run_id"]
    by_run = {run: ApiLogEntry.objects.filter(run_id=run).count() for run in (first["run_id"], second["run_id"], "")}
    assert by_run[first["run_id"]] == by_run[second["run_id"]] > 0
    assert by_run[""] == 1, "a call made outside any run is recorded without one"


def test_text_lines_show_the_task_and_run_id_inside_a_run_only(configured_logs):
    stream = configured_logs("text")
    log = logging.getLogger("pricing.services.maintain")

    log.info("outside")
    with task_run("maintain_mrpc_prices") as run, task_run("inner joins the outer run") as inner:
        assert inner is run and current_run_id() == run.id
        log.info("inside")

    outside, inside = stream.getvalue().splitlines()
    assert outside.endswith("INFO pricing.services.maintain: outside")
    assert inside.endswith(f"INFO pricing.services.maintain [maintain_mrpc_prices {run.id}]: inside")
    assert current_run_id() == ""


def test_the_api_log_admin_finds_a_runs_calls_by_its_id(client, db):
    ApiLogEntry.objects.bulk_create(
        [
            ApiLogEntry(
                timestamp="2026-05-01T10:00:00Z",
                direction=Direction.OUTBOUND,
                service="ozon",
                endpoint=f"/v{i}/product/list",
                method="POST",
                run_id=run,
            )
            for i, run in enumerate(["a1b2c3d4e5f6", "a1b2c3d4e5f6", "0f0f0f0f0f0f"], start=1)
        ]
    )
    client.force_login(UserFactory(superuser=True))

    page = client.get("/admin/auditlog/apilogentry/", {"q": "a1b2c3d4e5f6"})

    assert page.status_code == 200
    assert [row.endpoint for row in page.context["cl"].result_list] == ["/v2/product/list", "/v1/product/list"]


def test_an_image_push_command_is_one_run_with_a_summary_and_its_audit_rows(
    configured_logs, ozon_credentials, no_network, settings
):
    settings.OZON_MAX_RETRIES = settings.OZON_RATE_LIMIT = 0
    pictures = FakePictures()
    pictures.add(123456, "ART-1", ["https://cdn.ozon.example/old.jpg"])
    pictures.install(no_network)
    stream = configured_logs("json")

    call_command("push_images", "--product-id", "123456", "--image", "https://r2.com/img1.jpg", stdout=io.StringIO())

    line = summary(json_lines(stream), "image push ok")
    assert line["task"] == "push_images" and line["counts"] == {"pushes": 1, "ok": 1, "failed": 0}
    assert set(ApiLogEntry.objects.values_list("run_id", flat=True)) == {line["run_id"]}


def test_an_admin_job_is_one_run(configured_logs, ozon_credentials, no_network, settings):
    settings.OZON_API_URL = BASE
    FakeOzon(products=[product(1)]).install(no_network)
    sku_sync_all()
    ApiLogEntry.objects.all().delete()
    stream = configured_logs("json")

    job = admin_job_start(kind=JobKind.SHOWCASE_FETCH, product_ids=[1001], actor="manager")

    line = summary(json_lines(stream), "showcase prices ok")
    assert job.result["fetched"] == 1
    assert line["task"] == "admin_job_run" and line["counts"]["fetched"] == 1
    assert set(ApiLogEntry.objects.values_list("run_id", flat=True)) == {line["run_id"]}


@pytest.mark.django_db(transaction=True)  # the heartbeat thread has its own connection
def test_the_lease_heartbeat_thread_logs_under_the_runs_id(configured_logs, settings):
    settings.TASK_LEASE_TTL_SECONDS = 1
    stream = configured_logs("json")

    with task_run("maintain_mrpc_prices") as run, task_lease("job") as lease:
        TaskLease.objects.filter(name="job").update(owner="another-run")
        deadline = time.monotonic() + 2
        while not lease.lost and time.monotonic() < deadline:
            time.sleep(0.05)

    line = summary(json_lines(stream), "lease job: lost to another run")
    assert (line["run_id"], line["task"]) == (run.id, "maintain_mrpc_prices")
