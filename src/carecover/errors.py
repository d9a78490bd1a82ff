"""The one exception tree of carecover.

Every error a user can cause is a ``CarecoverError``; the CLI prints its
message as ``error: <message>`` and exits 1, the portal shows it next to the
field. Anything else escaping is a bug.

::

    CarecoverError
    ├── InputError            bad input: names the file, line/record and field
    │   └── ValidationError   a record broke one or more rules (holds every problem)
    ├── RuleError             a request the rules forbid (e.g. editing a submitted report)
    ├── ConfigError           a setting or reference file is missing or malformed
    ├── NotFoundError         a code, report or record that does not exist
    └── StoreError            a store file cannot be opened or written (corrupt, disk full)
        └── StoreBusyError    another process holds the store; retrying later can work
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CarecoverError",
    "ConfigError",
    "FieldProblem",
    "InputError",
    "NotFoundError",
    "RuleError",
    "StoreBusyError",
    "StoreError",
    "ValidationError",
]


class CarecoverError(Exception):
    """Base of every error carecover raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(CarecoverError):
    """Input that cannot be used, located as precisely as we can."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.field = field
        where = ":".join(str(p) for p in (file, line) if p is not None)
        prefix = f"{where}: " if where else ""
        if field:
            prefix += f"{field}: "
        super().__init__(prefix + message)
        self.reason = message


@dataclass(frozen=True)
class FieldProblem:
    """One broken rule on one field of a record."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ValidationError(InputError):
    """A record broke one or more rules; ``problems`` lists every one of them."""

    def __init__(
        self,
        problems: list[FieldProblem],
        *,
        file: str | None = None,
        line: int | None = None,
    ) -> None:
        if not problems:
            raise ValueError("ValidationError needs at least one problem")
        self.problems = list(problems)
        text = "; ".join(str(p) for p in self.problems)
        super().__init__(text, file=file, line=line)


class RuleError(CarecoverError):
    """The request is understood but the rules forbid it."""


class ConfigError(CarecoverError):
    """A setting or shipped reference file is missing or malformed."""


class NotFoundError(CarecoverError):
    """The thing asked for does not exist."""


class StoreError(CarecoverError):
    """A store file cannot be opened or written: not a store, corrupt, or the disk is full."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)
        self.reason = message


class StoreBusyError(StoreError):
    """Another process holds the store for writing; the same request can be retried.

    ``holder`` describes that process as DuckDB reports it (e.g. ``PID 4242``),
    or ``None`` when it did not say; ``waited``: seconds spent waiting for it.
    """

    def __init__(self, path: str, *, holder: str | None = None, waited: float = 0.0) -> None:
        self.holder = holder
        self.waited = waited
        who = f"another process ({holder})" if holder else "another process"
        after = f" after waiting {waited:g} s" if waited else ""
        super().__init__(
            f"the store is still in use by {who}{after}; try again when it has finished"
            if waited
            else f"the store is in use by {who}; try again when it has finished",
            path=path,
        )
