"""A monotonic clock for rate-limit tests: time moves only when the code under test sleeps."""


class FakeClock:
    """`clock()` reads the time; `clock.sleep(s)` moves it and records `s` in `slept`."""

    def __init__(self):
        self.now = 100.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds
