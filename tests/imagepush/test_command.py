"""manage.py push_images: one line on success, a non-zero exit on failure."""

import pytest
from django.core.management import CommandError, call_command

from imagepush.models import ImagePush, PushSource, PushStatus
from tests.fakes.pictures import PICTURES_IMPORT, FakePictures

pytestmark = pytest.mark.django_db

NEW = ["https://r2.com/img1.jpg", "https://r2.com/img2.jpg"]


@pytest.fixture
def ozon(no_network, settings, ozon_credentials):
    settings.OZON_MAX_RETRIES = 0
    settings.OZON_RATE_LIMIT = 0
    fake = FakePictures()
    fake.add(123456, "ART-1", ["https://cdn.ozon.example/old.jpg"])
    return fake.install(no_network)


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("push_images", *args, stdout=out)
    return out.getvalue()


def test_it_pushes_and_prints_one_line(ozon):
    out = run("--product-id", "123456", "--image", NEW[0], "--image", NEW[1], "--color-image", "https://r2.com/c.jpg")

    assert out.count("\n") == 1
    assert out.startswith("push_images ok: product 123456 (ART-1) imported, task 7000001, 2 images on Ozon")
    assert ozon.imports == [[{"offer_id": "ART-1", "images": NEW, "color_image": "https://r2.com/c.jpg"}]]
    push = ImagePush.objects.get()
    assert (push.source, push.requested_by) == (PushSource.COMMAND, "manage.py push_images")


def test_invalid_urls_exit_non_zero_naming_each(ozon):
    with pytest.raises(CommandError, match=r"invalid request: images\[1\]: Invalid URL format"):
        run("--product-id", "123456", "--image", NEW[0], "--image", "not-a-url")
    assert ozon.imports == []
    assert ImagePush.objects.get().status == PushStatus.FAILED


def test_an_ozon_failure_exits_non_zero(ozon):
    ozon.fail(PICTURES_IMPORT, 500, {"code": 13, "message": "Internal error", "details": []})

    with pytest.raises(CommandError, match="push_images FAILED: product 123456: Ozon API error: ozon 500"):
        run("--product-id", "123456", "--image", NEW[0])


def test_an_unknown_product_exits_non_zero(ozon):
    with pytest.raises(CommandError, match="product 5 not found on Ozon"):
        run("--product-id", "5", "--image", NEW[0])


def test_the_image_option_is_required():
    with pytest.raises(CommandError):
        run("--product-id", "1")
