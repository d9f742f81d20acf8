"""Checking an image push request before anything reaches Ozon (SPEC §6).

Pure: no database, no network (not even DNS: see `_private_host_problem`). Every problem is one entry
`{"field", "index", "url", "reason"}` (`index` and `url` are null when the
problem is the field as a whole), in the order of the request's fields, so
ImageStudio can point at the exact picture.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ozonprice.clients.outbound import host_refusal, outbound_private_allowed

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

# The storage column's width; Ozon documents no URL length.
URL_MAX_LENGTH = 2000
# Ozon's product_id is an int64.
INT64_MAX = 2**63 - 1

# Ozon's Client-Id and Api-Key go out as header values.
HEADER_VALUE = re.compile(r"[!-~]{1,255}")
# Reasons read in the request's language (English for the API by default, Russian in the Russian admin).
INVALID_URL = gettext_lazy("Invalid URL format")
NO_360 = gettext_lazy(
    "360° images are no longer supported: Ozon removed them on 10 Jul 2026 "
    "(the current pictures API has no such field); send an empty list"
)


@dataclass(frozen=True)
class Credential:
    """Ozon credentials sent with one request: used for its calls, never stored or logged."""

    client_id: str
    api_key: str = field(repr=False)


@dataclass(frozen=True)
class PushRequest:
    """A valid push: the product's new pictures, the main one first."""

    product_id: int
    images: tuple[str, ...]
    primary_image: str = ""
    color_image: str = ""

    @property
    def main_image(self) -> str:
        return self.primary_image or self.images[0]


@dataclass
class Validation:
    errors: list[dict[str, Any]]
    product_id: int | None = None
    # The request's strings (what can be recorded), valid or not.
    images: list[str] = field(default_factory=list)
    primary_image: str = ""
    color_image: str = ""
    credential: Credential | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def request(self) -> PushRequest:
        if self.errors or self.product_id is None:
            raise ValueError("an invalid push has no request")
        return PushRequest(
            product_id=self.product_id,
            images=tuple(self.images),
            primary_image=self.primary_image,
            color_image=self.color_image,
        )


def problem(field_name: str, reason: str | StrPromise, *, index: int | None = None, url: Any = None) -> dict[str, Any]:
    return {"field": field_name, "index": index, "url": None if url is None else str(url), "reason": str(reason)}


def is_http_url(value: Any) -> bool:
    """An absolute http(s) URL with a host (Ozon downloads every picture itself)."""
    if not isinstance(value, str) or not value or value != value.strip() or any(c.isspace() for c in value):
        return False
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host)


def _url_problem(field_name: str, value: Any, *, index: int | None = None) -> dict[str, Any] | None:
    if not is_http_url(value):
        return problem(field_name, INVALID_URL, index=index, url=value)
    if len(value) > URL_MAX_LENGTH:
        return problem(
            field_name,
            _("URL is longer than %(limit)d characters") % {"limit": URL_MAX_LENGTH},
            index=index,
            url=value[:100],
        )
    return _private_host_problem(field_name, value, index=index)


def _private_host_problem(field_name: str, url: str, *, index: int | None) -> dict[str, Any] | None:
    """SSRF: Ozon downloads every picture, so none may point at a private network, loopback or metadata.

    Only what is private whatever DNS answers is refused (an address in any
    spelling, localhost, single-label and local names). A name is not looked
    up: Ozon resolves it from its own network, where our answer need not hold,
    and 50 lookups would slow every push.
    """
    if outbound_private_allowed():
        return None
    refusal = host_refusal(urlsplit(url).hostname)
    if refusal is None:
        return None
    return problem(
        field_name,
        _("Not a public host (%(refusal)s): private, loopback and cloud metadata addresses are refused")
        % {"refusal": refusal},
        index=index,
        url=url,
    )


def _product_id(value: Any, errors: list[dict[str, Any]]) -> int | None:
    number: int | None = None
    if type(value) is int:
        number = value
    elif isinstance(value, str) and value.strip().isdecimal():
        number = int(value.strip())
    if number is None or not 0 < number <= INT64_MAX:
        reason = _("Required") if value is None else _("Must be a positive integer (Ozon's product_id)")
        errors.append(problem("product_id", reason))
        return None
    return number


def _images(value: Any, limit: int, errors: list[dict[str, Any]]) -> list[str]:
    if value is None or value == []:
        errors.append(problem("images", _("At least one image is required (the first is the main image)")))
        return []
    if not isinstance(value, list):
        errors.append(problem("images", _("Must be a list of URLs")))
        return []
    seen: set[str] = set()
    for index, url in enumerate(value):
        bad = _url_problem("images", url, index=index)
        if bad is None and url in seen:
            bad = problem("images", _("Duplicate URL: Ozon would keep it once"), index=index, url=url)
        if bad is not None:
            errors.append(bad)
        if isinstance(url, str):
            seen.add(url)
    if len(value) > limit:
        errors.append(problem("images", _("Exceeds limit (%(limit)d)") % {"limit": limit}))
    return [url for url in value if isinstance(url, str)]


def _single_url(field_name: str, value: Any, errors: list[dict[str, Any]]) -> str:
    if value is None or value == "":
        return ""
    bad = _url_problem(field_name, value)
    if bad is not None:
        errors.append(bad)
    return value if isinstance(value, str) else ""


def _credential(value: Any, errors: list[dict[str, Any]]) -> Credential | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        raw_id, raw_key = value.get("client_id"), value.get("api_key")
        # Ozon's Client-Id is numeric; a JSON number is fine.
        client_id = str(raw_id).strip() if type(raw_id) in (int, str) else raw_id
        api_key = raw_key.strip() if isinstance(raw_key, str) else raw_key
        if client_id in (None, "") and api_key in (None, ""):
            return None  # left empty: the stored credentials are used
        if isinstance(client_id, str) and client_id and isinstance(api_key, str) and api_key:
            if HEADER_VALUE.fullmatch(client_id) and HEADER_VALUE.fullmatch(api_key):
                return Credential(client_id=client_id, api_key=api_key)
            # They travel as HTTP headers: no line breaks (header injection), nothing beyond ASCII.
            errors.append(problem("credential", _("client_id and api_key must be printable ASCII without spaces")))
            return None
    # Never echo the values: the entry names the problem only.
    errors.append(
        problem("credential", _("Send both client_id and api_key, or leave credential out to use the stored ones"))
    )
    return None


def image_push_validate(*, data: Any, images_limit: int) -> Validation:
    """Check a push request (`product_id`, `images`, `images360`, `primary_image`, `color_image`, `credential`)."""
    if not isinstance(data, Mapping):
        return Validation(errors=[problem("body", _("Expected a JSON object"))])
    errors: list[dict[str, Any]] = []
    product_id = _product_id(data.get("product_id"), errors)
    images = _images(data.get("images"), images_limit, errors)
    images360 = data.get("images360")
    if images360 not in (None, []):
        errors.append(problem("images360", NO_360))
    primary = _single_url("primary_image", data.get("primary_image"), errors)
    if primary and primary not in images and len(images) == images_limit:
        errors.append(
            problem(
                "primary_image",
                _("Together with images exceeds limit (%(limit)d)") % {"limit": images_limit},
                url=primary,
            )
        )
    color = _single_url("color_image", data.get("color_image"), errors)
    credential = _credential(data.get("credential"), errors)
    return Validation(
        errors=errors,
        product_id=product_id,
        images=images,
        primary_image=primary,
        color_image=color,
        credential=credential,
    )
