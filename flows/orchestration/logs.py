"""One line per expected error, in the terminal and in the Prefect log.

An expected error (`VendorbriefError`: bad input, a refused parameter, a locked warehouse, a failed
quality gate; or a network failure of a catalog fetch) is reported by the flow `vendor-briefings`
as one line (`report`). Prefect's engine would add, for each task and flow the error crosses, a
record with its traceback and a "Finished in state Failed(...)" record repeating the message:
`ExpectedErrors` drops those. Unexpected errors keep every record and their tracebacks.
`VENDORBRIEF_DEBUG=1` (set by `--debug`) turns the filter off.
"""

from __future__ import annotations

import logging
import os

DEBUG_ENV = "VENDORBRIEF_DEBUG"
# Set by the command line, which prints the error itself: the flow's line then goes only to the
# Prefect log (API), not to the terminal.
QUIET_CONSOLE_ENV = "VENDORBRIEF_CLI_PRINTS_ERRORS"
MARK = "vendorbrief_expected"


def is_expected(exc: BaseException | None) -> bool:
    """Errors the user can act on from their message alone: ours, and network failures."""
    from flows.errors import VendorbriefError

    if isinstance(exc, VendorbriefError):
        return True
    try:
        import httpx
    except ImportError:  # pragma: no cover - httpx is a dependency
        return False
    return isinstance(exc, httpx.HTTPError)


class ExpectedErrors(logging.Filter):
    """Drops the engine's records of an expected error (its traceback, and the state lines that
    repeat its message); keeps the flow's own line (marked MARK). `console`: this filter guards the
    terminal handler, where the command line may print the line itself."""

    # Messages of the expected errors seen in this process (they repeat in "Finished in state" lines).
    seen: set[str] = set()

    def __init__(self, console: bool):
        super().__init__()
        self.console = console

    def filter(self, record: logging.LogRecord) -> bool:
        if os.environ.get(DEBUG_ENV):
            return True
        if getattr(record, MARK, False):
            return not (self.console and os.environ.get(QUIET_CONSOLE_ENV))
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and is_expected(exc):
            remember(exc)
            if "Retry" in record.getMessage():
                record.exc_info, record.exc_text = None, None  # a retry is news: one line
                return True
            return False
        if record.levelno >= logging.INFO and self.seen and record.name.startswith("prefect"):
            message = record.getMessage()
            if "Finished in state Failed" in message or "Encountered exception" in message:
                return not any(m in message or repr(m)[1:-1] in message for m in self.seen)
        return True


def install() -> None:
    """Put the filter on every handler Prefect configured (console and API); idempotent."""
    import prefect.main  # noqa: F401 - configures Prefect's logging handlers
    from prefect.logging.handlers import APILogHandler

    loggers = [logging.getLogger(), *(logging.getLogger(n) for n in list(logging.root.manager.loggerDict))]
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            if not any(isinstance(f, ExpectedErrors) for f in handler.filters):
                handler.addFilter(ExpectedErrors(console=not isinstance(handler, APILogHandler)))


def remember(exc: BaseException) -> None:
    """Marks `exc` as expected, so that the engine's state lines repeating its message are dropped.
    A task that fails without retrying logs only such a line (no record carries the exception):
    its retry condition calls this. An empty message is not remembered: it would match every line."""
    if message := str(exc)[:120]:
        ExpectedErrors.seen.add(message)


def report(logger: logging.Logger | logging.LoggerAdapter, exc: BaseException) -> None:
    """The one line of an expected error, at ERROR level, without traceback."""
    remember(exc)
    logger.error("%s", exc, extra={MARK: True})
