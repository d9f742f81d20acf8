"""The `ozon_id` path converter: a 64-bit id or no match (a 404), never a number the database refuses."""

import pytest

from ozonprice.converters import INT64_MAX, OzonIdConverter


def test_a_64_bit_id_converts_both_ways():
    converter = OzonIdConverter()

    assert converter.to_python(str(INT64_MAX)) == INT64_MAX
    assert converter.to_url(123) == "123"


def test_one_past_64_bits_is_no_match():
    with pytest.raises(ValueError, match="64-bit"):
        OzonIdConverter().to_python(str(INT64_MAX + 1))


@pytest.mark.django_db
def test_an_id_past_64_bits_in_a_url_is_a_404_not_a_500(admin_client):
    response = admin_client.get(f"/api/products/{INT64_MAX + 1}")

    assert response.status_code == 404
