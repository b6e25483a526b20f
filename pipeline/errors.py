"""The two ways a command fails and their exit codes, in one place for every stage and command."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer

log = logging.getLogger("stance")

EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """Bad input, config or params; the message names the file, the line or key, and the fix."""


class Busy(BadInput):
    """Another run holds the lock on the output or label file this run would write."""


class CheckFailed(Exception):
    """The input was readable but a check on it failed (conflicting labels, say)."""


@contextmanager
def exits() -> Iterator[None]:
    """Log a BadInput or CheckFailed as one line and exit 2 or 1; anything else propagates."""
    try:
        yield
    except BadInput as err:
        log.error("%s", err)
        raise typer.Exit(code=EXIT_BAD_INPUT) from err
    except CheckFailed as err:
        log.error("%s", err)
        raise typer.Exit(code=EXIT_CHECK_FAILED) from err


def with_exits(func: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a typer command so that it fails through `exits()`."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with exits():
            return func(*args, **kwargs)

    return wrapper


def run_stage(main: Callable[..., Any]) -> None:
    """Run a DVC stage's `main` as a command line with the project's exit codes."""
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    app.command(help=main.__doc__)(with_exits(main))
    app()
