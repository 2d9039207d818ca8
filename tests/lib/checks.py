"""Shared by the Python test suites (tests/concurrency, tests/cluster): the
failure a check raises, the two assertions, and statements run in a
background thread, so a statement expected to block can be watched and a
hung one abandoned."""
import threading
import time


class Failure(Exception):
    pass


def expect(cond, msg):
    if not cond:
        raise Failure(msg)


def expect_eq(got, want, what):
    if got != want:
        raise Failure("%s: got %r, want %r" % (what, got, want))


class Async:
    """Runs fn() in a daemon thread; wait() or result() waits for it."""

    def __init__(self, fn):
        self.value = None
        self.error = None
        self.started = time.monotonic()
        self.elapsed = None
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(fn,), daemon=True)
        self.thread.start()

    def _run(self, fn):
        try:
            self.value = fn()
        except BaseException as e:  # noqa: B902 - reported to the caller
            self.error = e
        finally:
            self.elapsed = time.monotonic() - self.started
            self.done.set()

    def wait(self, timeout):
        return self.done.wait(timeout)

    def blocked(self, seconds=0.5):
        """True if fn is still running after `seconds` (it waits for something)."""
        return not self.done.wait(seconds)

    def result(self, timeout, what):
        if not self.done.wait(timeout):
            raise Failure("%s did not finish within %.0f s" % (what, timeout))
        if self.error is not None:
            raise self.error
        return self.value
