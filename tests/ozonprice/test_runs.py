"""Task runs: one id per run (nested blocks join it), stamped on log records, and a one-line summary with counts."""

import logging
from dataclasses import dataclass, field

from ozonprice.runs import (
    RUN_ID_LENGTH,
    RunContextFilter,
    RunSummary,
    current_run,
    current_run_id,
    result_counts,
    run_summary_log,
    task_run,
)


def test_a_run_opens_an_id_that_nested_blocks_join_and_that_closes_with_it():
    assert current_run() is None and current_run_id() == ""

    with task_run("ozon_sync") as run:
        assert len(run.id) == RUN_ID_LENGTH and current_run_id() == run.id
        with task_run("inner") as inner:
            assert inner is run  # one run, one id, the outer task's name

    assert current_run() is None


def test_as_a_decorator_each_call_is_its_own_run():
    seen = []

    @task_run("job")
    def job():
        seen.append(current_run())

    job()
    job()

    assert [r.task for r in seen] == ["job", "job"] and seen[0].id != seen[1].id


def record(**extra) -> logging.LogRecord:
    rec = logging.LogRecord("x", logging.INFO, __file__, 1, "msg", None, None)
    rec.__dict__.update(extra)
    return rec


def test_the_filter_stamps_records_inside_a_run_and_keeps_given_values():
    outside = record()
    RunContextFilter().filter(outside)
    assert not hasattr(outside, "run_id")

    with task_run("verify") as run:
        inside, given = record(), record(task="explicit")
        RunContextFilter().filter(inside)
        RunContextFilter().filter(given)

    assert (inside.run_id, inside.task) == (run.id, "verify")
    assert given.task == "explicit"


@dataclass
class Result:
    ok: bool = True
    dry_run: bool = False
    sent: int = 3
    errors: list = field(default_factory=lambda: [{}, {}])
    calls: dict = field(default_factory=lambda: {"/v1/a": 2, "/v1/b": 5})
    label: str = "x"

    def summary(self) -> str:
        return "done"


def test_counts_are_int_fields_list_lengths_and_call_totals_not_flags():
    assert result_counts(Result()) == {"sent": 3, "errors": 2, "calls": 7}
    assert result_counts(object()) == {}


def test_the_summary_is_logged_once_with_the_runs_id_and_counts_at_error_when_failed(caplog):
    logger = logging.getLogger("tests.runs")
    with caplog.at_level(logging.INFO, logger="tests.runs"), task_run("sync") as run:
        run_summary_log(logger, Result())
        run_summary_log(logger, RunSummary("purged 4", ok=False, counts={"deleted": 4}))

    first, second = caplog.records
    assert (first.levelno, first.getMessage(), first.run_id, first.counts) == (
        logging.INFO,
        "done",
        run.id,
        {"sent": 3, "errors": 2, "calls": 7},
    )
    assert (second.levelno, second.counts, second.task) == (logging.ERROR, {"deleted": 4}, "sync")
