"""One rate budget per (service, account): every client of one Ozon Client-Id shares it.

Ozon allows about 50 requests a second per Client-Id across all methods and all our
processes together (docs/ozon-api.md §7). A bucket per client object would let two
clients in one process, or a worker and the web process, each spend the whole rate.
So a budget is keyed by (service, key), the key being the Client-Id for Ozon:

- without `REDIS_URL`, the state lives in this process (`LocalState`): thread-safe,
  shared by every client of that key in the process;
- with `REDIS_URL`, it lives in Redis (`RedisState`): one budget for every process
  and host. If Redis cannot be reached, the call falls back to this process's own
  state (and logs it) rather than stopping every Ozon call.

The algorithm is GCRA (a token bucket kept as one number: the "theoretical arrival
time" `tat` of the next call). Why a few lines of Lua over `redis` rather than
`pyrate-limiter` and its Redis bucket: `redis` is already a dependency (django-q2's
broker), the whole state is one key updated atomically by one script using Redis's
own clock (hosts' clocks do not matter), and pausing the whole budget, which a 429
with `Retry-After` needs, is just moving `tat` forward. pyrate-limiter has no such
pause (its Redis bucket is a sliding-window log of timestamps per rate), so we would
have kept a second key and script beside it anyway, for a new dependency.

The rate is a parameter of each call, not of the state: two clients of one account
with different rates share one `tat`. Nobody sleeps holding a lock: `take` answers
how long to wait, the caller sleeps, then asks again.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Protocol

from django.conf import settings

logger = logging.getLogger(__name__)

# A wait shorter than this is no wait: float drift after a full sleep must not loop forever.
EPSILON = 1e-6
# Seconds between two "Redis is unreachable" warnings of one process.
WARN_EVERY_S = 60.0


class BudgetState(Protocol):
    def take(self, *, interval: float, tolerance: float) -> float:
        """Spend one call if allowed now (0.0), else the seconds to wait before asking again."""

    def pause(self, *, seconds: float, tolerance: float) -> None:
        """No call of this budget for `seconds` from now (every thread, every process sharing it)."""


class LocalState:
    """GCRA state of one budget in this process."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.tat = 0.0
        self.lock = threading.Lock()

    def take(self, *, interval: float, tolerance: float) -> float:
        with self.lock:
            now = self.clock()
            tat = max(self.tat, now)
            wait = tat - tolerance - now
            if wait > EPSILON:
                return wait
            self.tat = tat + interval
            return 0.0

    def pause(self, *, seconds: float, tolerance: float) -> None:
        with self.lock:
            # `tat - tolerance` is when the next call may go: push it to now + seconds.
            self.tat = max(self.tat, self.clock() + seconds + tolerance)


# KEYS[1]: the budget; ARGV: interval, tolerance, pause seconds ("" = take one call).
# Returns the seconds to wait as a string (a Lua number reply would be truncated to an integer).
GCRA = """
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
local interval, tolerance = tonumber(ARGV[1]), tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
if ARGV[3] ~= '' then
  local resume = now + tonumber(ARGV[3]) + tolerance
  if resume > tat then tat = resume end
else
  local wait = tat - tolerance - now
  if wait > 0.000001 then return string.format('%.6f', wait) end
  tat = tat + interval
end
redis.call('SET', KEYS[1], string.format('%.6f', tat), 'PX', math.ceil((tat - now) * 1000) + 1000)
return '0'
"""


class RedisState:
    """GCRA state of one budget in Redis, shared by every process using that Redis."""

    def __init__(self, script: Callable[..., object], key: str, fallback: LocalState) -> None:
        self.script = script
        self.key = key
        self.fallback = fallback
        self.warned_at = -math.inf

    def take(self, *, interval: float, tolerance: float) -> float:
        return self._run(interval, tolerance, "", lambda: self.fallback.take(interval=interval, tolerance=tolerance))

    def pause(self, *, seconds: float, tolerance: float) -> None:
        def locally() -> float:
            self.fallback.pause(seconds=seconds, tolerance=tolerance)
            return 0.0

        self._run(0.0, tolerance, f"{seconds:.6f}", locally)

    def _run(self, interval: float, tolerance: float, pause: str, fallback: Callable[[], float]) -> float:
        import redis

        try:
            answer = self.script(keys=[self.key], args=[f"{interval:.6f}", f"{tolerance:.6f}", pause])
            return float(answer)  # type: ignore[arg-type]  # the script answers a string of seconds
        except redis.RedisError as error:
            now = time.monotonic()
            if now - self.warned_at >= WARN_EVERY_S:
                self.warned_at = now
                logger.warning("rate budget: Redis unreachable (%s); this process keeps its own budget", error)
            return fallback()


class RateBudget:
    """What a client holds: the shared state of its (service, key), its rate, and how to sleep."""

    def __init__(
        self, state: BudgetState, rate: float, *, burst: int = 1, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        if rate <= 0:
            raise ValueError("a rate budget needs a rate > 0 (no budget at all means no limit)")
        self.state = state
        self.rate = rate
        self.interval = 1.0 / rate
        # A burst of B lets B + rate calls into one second; Ozon counts per second, so the
        # default is 1: calls evenly spaced, never more than `rate` in any second.
        self.tolerance = (max(1, burst) - 1) * self.interval
        self.sleep = sleep

    def acquire(self) -> None:
        """Wait for this budget's turn (no lock is held while sleeping)."""
        while (wait := self.state.take(interval=self.interval, tolerance=self.tolerance)) > 0:
            self.sleep(wait)

    def pause(self, seconds: float) -> None:
        """Nobody sharing this budget calls for `seconds` (a 429's `Retry-After`)."""
        if seconds > 0:
            self.state.pause(seconds=seconds, tolerance=self.tolerance)

    def pause_to_next_second(self, wall: Callable[[], float] = time.time) -> None:
        """The service said none is left (`Ratelimit-Remaining: 0`): wait for the next whole second."""
        now = wall()
        self.pause(math.floor(now) + 1 - now)


_states: dict[tuple[str, str, str], BudgetState] = {}
_local: dict[tuple[str, str], LocalState] = {}
_scripts: dict[str, Callable[..., object]] = {}
_registry_lock = threading.Lock()


def rate_budget(
    *, service: str, key: str, rate: float, burst: int = 1, sleep: Callable[[float], None] | None = None
) -> RateBudget | None:
    """The budget of (service, key) at `rate` calls a second; None when `rate` is 0 (no limit).

    Every call with the same service and key shares one state: in Redis when `REDIS_URL`
    is set (read now, so a test may change it), else in this process.
    """
    if not rate or rate <= 0:
        return None
    url = getattr(settings, "REDIS_URL", "") or ""
    with _registry_lock:
        local = _local.setdefault((service, key), LocalState())
        state = _states.get((url, service, key))
        if state is None:
            state = local if not url else RedisState(_redis_script(url), _redis_key(service, key), fallback=local)
            _states[(url, service, key)] = state
    return RateBudget(state, rate, burst=burst, sleep=sleep or time.sleep)


def budgets_reset() -> None:
    """Forget every budget of this process (tests: one test's pause must not slow the next)."""
    with _registry_lock:
        _states.clear()
        _local.clear()
        _scripts.clear()


def _redis_key(service: str, key: str) -> str:
    # Hashed: the Client-Id is an identifier we keep out of logs, and Redis keys show up in monitoring.
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"ozonprice:rate:{service}:{digest}"


def _redis_script(url: str) -> Callable[..., object]:
    """One client (a thread-safe connection pool, reset after fork by redis-py) and script per URL.

    Called with `_registry_lock` held."""
    import redis

    script = _scripts.get(url)
    if script is None:
        client = redis.Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)
        script = _scripts[url] = client.register_script(GCRA)
    return script
