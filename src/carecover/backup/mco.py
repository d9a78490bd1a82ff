"""The MCO's profile: its period scheme, the requirement's start, its contact, its cell size,
and how it takes the reports in (its channel, export layout and format).

Each LME-MCO runs the backup-staffing requirement its own way: Partners cuts
the calendar into semi-monthly periods, others into 14-day cycles from an
anchor day (reference §1.2); Partners resumed reporting on 1 July 2022 after
the COVID flexibilities (seed 000). Partners takes its portal form, Alliance
a bi-weekly spreadsheet, Vaya a form kept on file at the provider
(``[mco] channel``, ``layout``, ``format``). These are data, in
``carecover/data/backup/mco.toml`` (shipped: Partners) or a file of the same
shape an installation names; the grace days stay in ``compliance_rules.toml``.

A malformed profile raises ``ConfigError`` naming the file and the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from carecover.backup.periods import PeriodScheme, SchemeKind
from carecover.errors import ConfigError

__all__ = [
    "SHIPPED_PROFILES",
    "Channel",
    "ExportFormat",
    "McoContact",
    "McoProfile",
    "load_mco_profile",
    "parse_mco_profile",
    "resolve_mco_profile",
]

PROFILE_FILE = "mco.toml"

#: Shipped profiles by name (``--mco-profile alliance``); Partners is the default file.
SHIPPED_PROFILES = {
    "partners": (PROFILE_FILE,),
    "alliance": ("mcos", "alliance.toml"),
    "vaya": ("mcos", "vaya.toml"),
}


class Channel(StrEnum):
    """How the MCO takes a provider's reports in."""

    #: Through the MCO's own portal form (Partners): a file is only a copy.
    PORTAL_FORM = "portal-form"
    #: A spreadsheet the provider sends each period (Alliance).
    SPREADSHEET = "spreadsheet"
    #: A form the provider keeps on file and shows on request (Vaya).
    ON_FILE = "on-file"


class ExportFormat(StrEnum):
    """File formats of an export in the MCO's layout."""

    XLSX = "xlsx"
    HTML = "html"
    CSV = "csv"


@dataclass(frozen=True)
class McoContact:
    """Who at the MCO answers providers' questions (the seed's form names one)."""

    name: str
    role: str
    email: str
    phone: str


@dataclass(frozen=True)
class McoProfile:
    """How one MCO runs the requirement."""

    name: str
    scheme_kind: SchemeKind
    anchor: date | None
    length_days: int
    required_from: date
    contact: McoContact
    #: The State report suppresses cells counting fewer members than this.
    min_cell_members: int
    channel: Channel = Channel.PORTAL_FORM
    #: The export layout (``data/backup/layouts/<layout>.csv``); None: the profile names none.
    layout: str | None = None
    #: The file format of the MCO's own layout; None with no layout.
    export_format: ExportFormat | None = None
    #: The share of reports to file on time (percent) the State report measures
    #: providers against; None: the profile sets none (no "meets" column).
    timeliness_standard_pct: float | None = None

    def scheme(self, grace_days: int) -> PeriodScheme:
        """The MCO's period scheme with ``grace_days`` (``compliance_rules.toml``)."""
        if self.scheme_kind is SchemeKind.CYCLES:
            assert self.anchor is not None
            return PeriodScheme.cycles(self.anchor, self.length_days, grace_days)
        return PeriodScheme.semi_monthly(grace_days)


def _get(data: dict[str, Any], file: str, section: str, key: str, kind: type) -> Any:
    try:
        value = data[section][key]
    except (KeyError, TypeError):
        raise ConfigError(f"{file}: [{section}] {key} is missing") from None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(f"{file}: [{section}] {key} must be a {kind.__name__}, not {value!r}")
    return value


_Choice = TypeVar("_Choice", bound=StrEnum)


def _choice(data: dict[str, Any], file: str, key: str, kind: type[_Choice]) -> _Choice | None:
    """``[mco] key`` as one of ``kind``'s values, or None when absent."""
    value = data.get("mco", {}).get(key)
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(repr(k.value) for k in kind)
        raise ConfigError(f"{file}: [mco] {key} must be one of {choices}, not {value!r}") from None


def _export(data: dict[str, Any], file: str) -> tuple[Channel, str | None, ExportFormat | None]:
    """The channel, layout and format of ``[mco]``: a file channel needs both of the others."""
    channel = _choice(data, file, "channel", Channel) or Channel.PORTAL_FORM
    layout = data.get("mco", {}).get("layout")
    if layout is not None and (not isinstance(layout, str) or not layout.isalnum()):
        raise ConfigError(f"{file}: [mco] layout must be a layout name like 'alliance'")
    fmt = _choice(data, file, "format", ExportFormat)
    if (layout is None) != (fmt is None):
        raise ConfigError(f"{file}: [mco] layout and format go together: give both or neither")
    if channel is not Channel.PORTAL_FORM and layout is None:
        raise ConfigError(f"{file}: [mco] channel {channel.value!r} needs a layout and a format")
    return channel, layout, fmt


def parse_mco_profile(text: str, *, file: str = PROFILE_FILE) -> McoProfile:
    """Read a profile in the ``mco.toml`` shape (``ConfigError`` if malformed)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not TOML: {exc}") from None
    kind_text = _get(data, file, "periods", "scheme", str)
    try:
        kind = SchemeKind(kind_text)
    except ValueError:
        choices = " or ".join(repr(k.value) for k in SchemeKind)
        message = f"{file}: [periods] scheme must be {choices}, not {kind_text!r}"
        raise ConfigError(message) from None
    anchor = data["periods"].get("anchor")
    if kind is SchemeKind.CYCLES and not isinstance(anchor, date):
        raise ConfigError(f"{file}: [periods] anchor (a date) is needed for 14-day cycles")
    channel, layout, fmt = _export(data, file)
    length = _get(data, file, "periods", "length_days", int)
    minimum = _get(data, file, "state_report", "min_cell_members", int)
    if not 1 <= length <= 366 or not 1 <= minimum <= 1000:
        raise ConfigError(f"{file}: length_days and min_cell_members must be whole numbers >= 1")
    standard = data.get("state_report", {}).get("timeliness_standard_pct")
    if standard is not None and (
        isinstance(standard, bool)
        or not isinstance(standard, int | float)
        or not 0 < standard <= 100
    ):
        raise ConfigError(
            f"{file}: [state_report] timeliness_standard_pct must be a percentage "
            f"above 0 and at most 100, not {standard!r}"
        )
    return McoProfile(
        name=_get(data, file, "mco", "name", str),
        scheme_kind=kind,
        anchor=anchor if isinstance(anchor, date) else None,
        length_days=length,
        required_from=_get(data, file, "requirement", "effective", date),
        contact=McoContact(
            name=_get(data, file, "contact", "name", str),
            role=_get(data, file, "contact", "role", str),
            email=_get(data, file, "contact", "email", str),
            phone=_get(data, file, "contact", "phone", str),
        ),
        min_cell_members=minimum,
        channel=channel,
        layout=layout,
        export_format=fmt,
        timeliness_standard_pct=None if standard is None else float(standard),
    )


def load_mco_profile(path: Path | None = None) -> McoProfile:
    """The profile in ``path``, or the shipped one (Partners) when ``path`` is None."""
    if path is None:
        text = resources.files("carecover").joinpath("data", "backup", PROFILE_FILE)
        return parse_mco_profile(text.read_text("utf-8"))
    try:
        content = path.read_text("utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the MCO profile {path}: {exc.strerror}") from None
    return parse_mco_profile(content, file=str(path))


def resolve_mco_profile(name_or_path: str | None) -> McoProfile:
    """A shipped profile by name (``partners``, ``alliance``, ``vaya``) or a profile file."""
    if name_or_path is None:
        return load_mco_profile()
    parts = SHIPPED_PROFILES.get(name_or_path.strip().lower())
    if parts is None:
        return load_mco_profile(Path(name_or_path))
    text = resources.files("carecover").joinpath("data", "backup", *parts)
    return parse_mco_profile(text.read_text("utf-8"), file="/".join(parts))
