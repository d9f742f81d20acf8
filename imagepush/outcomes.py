"""What one image push came to, and the run's time budget (used by the steps, the entry points and the re-poll)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from imagepush.models import ImagePush, PushStatus

PREFIX = "Ozon API error: "


class Kind:
    """Why a push is not ok; the API maps each to one HTTP status."""

    OK = "ok"
    INVALID = "invalid"  # the request itself (400)
    NOT_FOUND = "not_found"  # Ozon does not know the product (404)
    QUOTA = "quota"  # Ozon's item quota (503 + Retry-After)
    PENDING = "pending"  # Ozon has not finished within the budget (504)
    OZON = "ozon"  # any other Ozon failure, including a task that ended `failed` (502)


@dataclass
class PushOutcome:
    push: ImagePush
    kind: str = Kind.OK
    retry_after: int | None = None  # seconds, for a quota refusal

    @property
    def ok(self) -> bool:
        return self.kind == Kind.OK and self.push.ok

    @property
    def errors(self) -> list[dict[str, Any]]:
        return list(self.push.errors or [])

    def fail(
        self, kind: str, message: str, *, status: str = PushStatus.FAILED, retry_after: float | None = None
    ) -> None:
        self.kind = kind
        self.push.status = status
        self.push.error = message if message.startswith(PREFIX) else PREFIX + message
        if retry_after is not None:
            self.retry_after = max(1, math.ceil(retry_after))

    def summary(self) -> str:
        push = self.push
        name = push.offer_id or push.product_id or "?"
        if self.ok:
            return f"{name}: {push.get_status_display()}, {len(push.current_images or [])} images on Ozon"
        return f"{name}: {push.error or push.get_status_display()}"


@dataclass(frozen=True)
class Timer:
    """The run's time budget, on an injectable clock."""

    deadline: float
    clock: Callable[[], float]
    sleep: Callable[[float], None]

    def fits(self, seconds: float) -> bool:
        return self.clock() + seconds <= self.deadline
