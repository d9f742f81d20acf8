"""The console speaks Russian (the default) and English: the compiled catalogues are in the repository."""

import pytest
from django.utils import translation

from pricing.rules import Refusal
from pricing.services.edits import refusal_message


@pytest.mark.parametrize(
    ("refusal", "ru", "en"),
    [
        (Refusal.NOT_AVAILABLE, "Товар не доступен", "Product is not available"),
        (Refusal.NO_MRPC, "Не установлено МРЦ", "MRPC is not set"),
        (Refusal.NO_SHOWCASE_PRICE, "Нет цены на витрине", "No showcase price"),
    ],
)
def test_activation_refusals_read_as_the_spec_says_in_both_languages(refusal, ru, en):
    with translation.override("ru"):
        assert refusal_message(refusal) == ru
    with translation.override("en"):
        assert refusal_message(refusal) == en


def test_plural_messages_take_the_russian_forms():
    with translation.override("ru"):
        forms = [
            translation.ngettext("MRPC saved for %(count)d SKU.", "MRPC saved for %(count)d SKUs.", n) % {"count": n}
            for n in (1, 3, 5, 21)
        ]
    assert forms == [
        "МРЦ сохранена для 1 товара.",
        "МРЦ сохранена для 3 товаров.",
        "МРЦ сохранена для 5 товаров.",
        "МРЦ сохранена для 21 товара.",
    ]
