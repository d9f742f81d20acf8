"""What a sandbox endpoint is: a `Route` whose handler turns a `Request` into JSON.

Seller API methods are POST with a JSON body and Ozon's `Client-Id` /
`Api-Key` headers. Other fakes (e.g. the Front Price API's
`GET /api/v1/seller/{id}?page=N`) set `method`, `prefix` and `ozon_auth`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ozonprice.sandbox.shop import Shop


class OzonError(Exception):
    """An error answer in Ozon's `rpcStatus` shape: `{code, message, details}`."""

    def __init__(self, status: int, code: int | str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": []}


def invalid_argument(message: str) -> OzonError:
    """400 with gRPC code 3 (INVALID_ARGUMENT), as Ozon answers a bad parameter."""
    return OzonError(400, 3, message)


def encode(payload: Any) -> bytes:
    """A JSON answer body: compact and UTF-8 (Russian names stay short)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Reply:
    """A ready answer; handlers may return one instead of a dict (custom status or headers)."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    # The JSON body (an object; {} when empty).
    body: dict[str, Any]
    # Query parameters, the last value of each.
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)


Handler = Callable[["Shop", Request], "dict[str, Any] | Reply"]


@dataclass(frozen=True)
class Route:
    handler: Handler
    method: str = "POST"
    # Match every path that starts with the route's path (for ids inside paths).
    prefix: bool = False
    # Require Ozon's Client-Id / Api-Key headers.
    ozon_auth: bool = True


def int64_list(body: dict[str, Any], key: str, *, most: int, required: bool = True) -> list[int]:
    """A required array of int64 ids (numbers or digit strings, as protobuf JSON allows), 1..`most` long."""
    values = body.get(key)
    if values is None and not required:
        return []
    if not isinstance(values, list):
        raise invalid_argument(f"{key}: value is required and must be an array")
    if not 1 <= len(values) <= most:
        raise invalid_argument(f"{key}: from 1 to {most} values per request, got {len(values)}")
    for value in values:
        if not (type(value) is int or (type(value) is str and value.isascii() and value.isdigit())):
            raise invalid_argument(f"{key}: invalid value {value!r}")
    return [int(value) for value in values]


def int64_value(body: dict[str, Any], key: str, *, required: bool = False, default: int = 0) -> int:
    """One integer id or count: a JSON number (whole) or a digit string, as protobuf JSON allows.

    Absent, null or "" gives `default` unless `required`.
    """
    value = body.get(key)
    if value is None or value == "":
        if required:
            raise invalid_argument(f"{key}: value is required")
        return default
    if type(value) is int and value >= 0:
        return value
    if type(value) is float and value.is_integer() and value >= 0:
        return int(value)
    if type(value) is str and value.isascii() and value.isdigit():
        return int(value)
    raise invalid_argument(f"{key}: invalid value {value!r}")


def string_list(body: dict[str, Any], key: str, *, allowed: tuple[str, ...], most: int | None = None) -> list[str]:
    """An optional array of enum strings (each one of `allowed`)."""
    values = body.get(key)
    if values is None:
        return []
    if not isinstance(values, list):
        raise invalid_argument(f"{key}: expected an array")
    if most is not None and len(values) > most:
        raise invalid_argument(f"{key}: at most {most} values per request, got {len(values)}")
    for value in values:
        if value not in allowed:
            raise invalid_argument(f"{key}: invalid value {value!r}; expected one of {list(allowed)}")
    return values
