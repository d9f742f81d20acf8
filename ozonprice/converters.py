"""URL path converters."""

from django.urls import register_converter

# Ozon's ids are positive 64-bit integers; a longer number is no product and
# must not reach the database (SQLite and PostgreSQL refuse it with an error).
INT64_MAX = 2**63 - 1


class OzonIdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > INT64_MAX:
            raise ValueError("not a 64-bit id")  # no match: a 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(OzonIdConverter, "ozon_id")
