"""A price run's result: a batch read back adds into the run's counts, and the summary names them."""

from pricing.services.maintain_result import MaintainResult
from pricing.services.reconcile import ReconcileResult


def test_a_batch_read_back_adds_its_counts_to_the_run():
    result = MaintainResult(sent=5)

    result.reconcile_add(ReconcileResult(reconciled=3, sent=1, unknown=2))
    result.reconcile_add(ReconcileResult(reconciled=1, sent=1, unknown=0))

    assert (result.reconciled, result.sent, result.unknown) == (4, 7, 2)
    assert "sent 7" in result.details() and "awaiting Ozon 2" in result.details()
    assert "reconciled 4" in result.details()


def test_a_dry_run_says_so():
    assert MaintainResult(dry_run=True).heading() == "maintain dry-run"
    assert MaintainResult().heading() == "maintain"
