"""A push's outcome: ok only when Ozon holds the pictures; a failure says it is Ozon's, once; the time budget."""

from imagepush.models import ImagePush, PushStatus
from imagepush.outcomes import PREFIX, Kind, PushOutcome, Timer


def test_ok_needs_an_imported_or_skipped_push_with_the_pictures_read_back():
    assert PushOutcome(ImagePush(status=PushStatus.IMPORTED, current_images=["https://cdn.example/1.jpg"])).ok
    assert PushOutcome(ImagePush(status=PushStatus.SKIPPED, current_images=[])).ok
    assert not PushOutcome(ImagePush(status=PushStatus.IMPORTED, current_images=None)).ok
    assert not PushOutcome(ImagePush(status=PushStatus.SENT, current_images=[])).ok


def test_a_failure_sets_kind_status_and_an_ozon_prefixed_error_once():
    outcome = PushOutcome(ImagePush(status=PushStatus.SENT, offer_id="ART-1"))

    outcome.fail(Kind.QUOTA, "quota exceeded", retry_after=0.2)
    outcome.fail(Kind.QUOTA, outcome.push.error, retry_after=2.1)

    assert (outcome.kind, outcome.push.status) == (Kind.QUOTA, PushStatus.FAILED)
    assert outcome.push.error == PREFIX + "quota exceeded"
    assert outcome.retry_after == 3  # whole seconds, rounded up, at least 1
    assert not outcome.ok
    assert outcome.summary() == "ART-1: " + PREFIX + "quota exceeded"


def test_a_pending_push_keeps_the_status_it_is_given():
    outcome = PushOutcome(ImagePush(status=PushStatus.SENT))

    outcome.fail(Kind.PENDING, "not finished", status=PushStatus.SENT)

    assert outcome.push.status == PushStatus.SENT and outcome.retry_after is None


def test_the_summary_of_a_success_counts_the_pictures_on_ozon():
    push = ImagePush(status=PushStatus.IMPORTED, product_id=42, current_images=["a", "b"])

    assert PushOutcome(push).summary().startswith("42: ") and "2 images" in PushOutcome(push).summary()


def test_the_timer_says_whether_a_wait_fits_the_budget():
    timer = Timer(deadline=10.0, clock=lambda: 7.0, sleep=lambda s: None)

    assert timer.fits(3.0) and not timer.fits(3.1)
