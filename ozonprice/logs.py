"""The two log formats (`LOG_FORMAT`): readable text, or one JSON object a line for log shippers.

Both are named in `settings.LOGGING`; the run's id and task come from
`ozonprice.runs.RunContextFilter` on the handler. Imported while logging is
configured, before the apps are ready: no Django models here.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from pythonjsonlogger.json import JsonFormatter as _LibraryJsonFormatter


class TextFormatter(logging.Formatter):
    """`2026-05-01 12:00:00,123 INFO pricing.services.maintain [maintain_mrpc_prices 3f9c0a1b2c4d]: …`

    The bracket appears only inside a task run.
    """

    def __init__(self, fmt: str | None = None, datefmt: str | None = None, **kwargs) -> None:
        super().__init__(fmt or "%(asctime)s %(levelname)s %(name)s%(run)s: %(message)s", datefmt, **kwargs)

    def formatMessage(self, record: logging.LogRecord) -> str:
        run_id = getattr(record, "run_id", "")
        run = f" [{getattr(record, 'task', '') or '-'} {run_id}]" if run_id else ""
        assert self._fmt is not None  # __init__ always passes a format
        return self._fmt % {**record.__dict__, "run": run}


class JsonFormatter(_LibraryJsonFormatter):
    """One JSON object a line: `time` (ISO 8601, UTC), `level`, `logger`, `message`, and any
    `extra` fields (a task run's `task`, `run_id`, `counts`); `exc_info` holds a traceback.

    Non-ASCII stays as is (Russian messages stay readable); values JSON cannot
    hold (a Decimal, a datetime) are written as text.
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("json_ensure_ascii", False)
        kwargs.setdefault("json_default", str)
        super().__init__(*args or ("{levelname}{name}{message}",), style="{", **kwargs)

    def add_fields(self, log_data: dict, record: logging.LogRecord, message_dict: dict) -> None:
        # `time` first, so a line reads in order even unparsed.
        log_data["time"] = datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")
        super().add_fields(log_data, record, message_dict)
