"""The one error type of every outgoing call, and what a status code means for repeating it.

Raised by the HTTP seam (`http.py`) and the clients over it; callers branch
on the type and on `permanent`, never on status codes.
"""

from __future__ import annotations


class ApiError(Exception):
    """Any failure of an outgoing call. Callers branch on `permanent`, not codes.

    `permanent` is True when repeating the same request cannot help (bad
    request, bad credentials, a response we cannot read); False for rate
    limits, server errors and network trouble.
    """

    def __init__(
        self,
        message: str,
        *,
        service: str,
        endpoint: str,
        permanent: bool,
        status: int | None = None,
        code: str | int | None = None,
        retry_after: float | None = None,
        outcome_unknown: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.service = service
        self.endpoint = endpoint
        self.permanent = permanent
        self.status = status
        self.code = code
        self.retry_after = retry_after
        # A write whose answer never came: it may or may not have been applied.
        self.outcome_unknown = outcome_unknown

    def __str__(self) -> str:
        return self.message


class RateLimited(ApiError):
    """The service refused the call for its rate or quota (a 429); never permanent.

    `retry_after` (seconds, may be None) says when the quota resets: callers
    wait on this type, not on the status code.
    """


def is_permanent_status(status: int) -> bool:
    """Map an HTTP status to "repeating cannot help".

    Ozon documents 400 (invalid parameter), 403 (access denied, also "Offer not
    signed" and IP-restricted keys), 404, 409 (conflict) and 429 / 500 on its
    methods (docs/ozon-api.md §7). 408, 429 and every 5xx are transient; every
    other 4xx is permanent.
    """
    return 400 <= status < 500 and status not in (408, 429)
