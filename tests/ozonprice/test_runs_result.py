"""The one run-result base: `ok`, `errors` and the summary line's frame, written once for every run's result.

The lines are exact: logs, the dashboard's last run and the task records show them.
"""

import pytest

from catalog.services.showcase import FetchResult
from catalog.services.sync import SyncResult
from imagepush.repoll import RepollResult
from ozonprice.runs import RunResult, result_counts
from pricing.services.guard import GuardResult
from pricing.services.maintain import MaintainResult
from pricing.services.verify import VerifyResult

pytestmark = pytest.mark.django_db(databases=[])


@pytest.mark.parametrize("cls", [SyncResult, FetchResult, MaintainResult, VerifyResult, GuardResult, RepollResult])
def test_every_run_result_shares_the_base(cls):
    result = cls()
    assert isinstance(result, RunResult) and result.ok and result.errors == []
    result.error = "boom"
    assert not result.ok and result.summary().endswith("; error: boom")


def test_item_errors_do_not_fail_a_run_but_a_repolls_unread_task_does():
    assert MaintainResult(errors=[{"product_id": "1", "error": "x"}]).ok
    assert not RepollResult(errors=["import task 7: 500"]).ok


def test_sync_line():
    result = SyncResult(fetched=3, created=1, updated=2, marked_missing=0, calls={"/v3/product/list": 2}, seconds=1.25)
    assert result.summary() == (
        "sync ok: fetched 3, created 1, updated 2, marked missing 0, item errors 0, Ozon calls 2, 1.2s"
    )


def test_fetch_line_names_its_source_after_the_status():
    result = FetchResult(source="seller_api", fetched=5, updated=4, errors=[{"error": "x"}], error="down")
    assert result.summary() == ("showcase prices FAILED (seller_api): fetched 5, updated 4, item errors 1; error: down")


def test_maintain_lines():
    assert MaintainResult(skipped=True).summary() == "maintain skipped: another price run is in progress"
    assert MaintainResult(dry_run=True, planned=2).summary() == (
        "maintain dry-run ok: planned 2, sent 0, rejected 0, failed 0, held for approval 0, unchanged 0, "
        "in flight 0, awaiting Ozon 0, over hourly budget 0, refused by Ozon before 0, reconciled 0, "
        "import calls 0, item errors 0"
    )


def test_verify_lines():
    assert VerifyResult(skipped=True).summary() == "verify skipped: another verification run is in progress"
    assert VerifyResult(checked=3, applied=2, confirmed=1, failed=1).summary() == (
        "verify ok: checked 3, applied 2, confirmed 1, marketplace discount 0, failed 1"
    )


def test_guard_lines():
    assert GuardResult(skipped=True).summary() == "guard skipped: another guard run is in progress"
    result = GuardResult(mode="remove", requests_mode="report", dry_run=True, breaches=2, calls={"/b": 1, "/a": 3})
    assert result.summary() == (
        "guard remove dry-run ok: promotions under MRPC 2, reported 0, removed 0, refused by Ozon 0, no answer 0; "
        "min-price timers checked 0, lapsed 0, renewed 0; discount requests (report) seen 0, below MRPC 0, "
        "declined 0, decline refused 0; calls /a 3, /b 1"
    )


def test_repoll_lines():
    assert RepollResult(skipped=True).summary() == "image push re-poll skipped: another run is in progress"
    result = RepollResult(tasks=2, settled=3, settled_ok=2, pending=1, errors=["task 7: 500"])
    assert result.summary() == (
        "image push re-poll FAILED: tasks 2, settled 3 (ok 2), still pending 1, given up 0, errors 1"
    )


def test_the_counts_of_a_result_are_its_own_counters_and_its_item_errors():
    counts = result_counts(FetchResult(fetched=5, updated=4, errors=[{"error": "x"}]))
    assert counts == {"errors": 1, "fetched": 5, "updated": 4}


def test_a_field_a_result_does_not_use_is_not_counted():
    assert "errors" not in result_counts(VerifyResult(failures=[{"error": "x"}]))
    assert result_counts(VerifyResult(failures=[{"error": "x"}]))["failures"] == 1
