"""An image push is ok only once imported or skipped with Ozon's pictures read back."""

import pytest

from imagepush.models import ImagePush, PushStatus


@pytest.mark.parametrize(
    ("status", "images", "ok"),
    [
        (PushStatus.IMPORTED, ["a"], True),
        (PushStatus.SKIPPED, [], True),
        (PushStatus.IMPORTED, None, False),
        (PushStatus.SENT, ["a"], False),
        (PushStatus.FAILED, ["a"], False),
    ],
)
def test_ok_needs_the_final_status_and_the_pictures_read_back(status, images, ok):
    assert ImagePush(status=status, current_images=images).ok is ok
