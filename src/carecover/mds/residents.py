"""The resident key: who an assessment belongs to, without storing an SSN.

CMS links a resident's assessments by the Resident Internal ID, which its
system derives from state, facility internal ID, SSN (A0600A), last and
first name (A0500C/A0500A), birth date (A0900) and gender (A0800)
(cms-staffing-methodology.md §4.3; the exact ordered matching criteria are
UNCONFIRMED). We build the key from the same items after normalisation, and
a ``RESIDENT_INTERNAL_ID`` in the input always wins (with the state, since
CMS's ID is unique only within a state).

The key is a SHA-256 over the normalised items, so the SSN is never stored:
only the key and whether an SSN was present are kept.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

__all__ = ["PLACEHOLDER_SSNS", "Identity", "normalise_name", "normalise_ssn", "resident_key"]

_NAME_NOISE = re.compile(r"[\s\-'.]+")
# Placeholder SSNs that mean "none known" rather than a real number.
PLACEHOLDER_SSNS = frozenset({"000000000", "999999999", "123456789"})


@dataclass(frozen=True)
class Identity:
    """The identifying items of one assessment (dates as ISO text)."""

    state: str
    facility_internal_id: str
    ssn: str
    last_name: str
    first_name: str
    birth_date: str
    gender: str
    resident_internal_id: str = ""


def normalise_name(name: str) -> str:
    """Upper case with spaces, hyphens, apostrophes and dots removed ("Mary-Ann " → "MARYANN")."""
    return _NAME_NOISE.sub("", name).upper()


def normalise_ssn(ssn: str) -> str:
    """Digits only; empty for a missing or placeholder SSN."""
    digits = re.sub(r"\D", "", ssn)
    if len(digits) != 9 or digits in PLACEHOLDER_SSNS:
        return ""
    return digits


def resident_key(identity: Identity) -> str:
    """A stable, SSN-free key for the resident an assessment belongs to.

    ``RESIDENT_INTERNAL_ID`` (with the state) wins when given; otherwise the
    key hashes the Resident Internal ID items after normalisation, so case,
    spacing, hyphens and a blank-versus-placeholder SSN do not split a
    resident in two. A missing SSN is simply empty in the hash, so records
    with and without an SSN are different keys (probable duplicates are the
    later Splink step's job).
    """
    state = identity.state.strip().upper()
    if identity.resident_internal_id.strip():
        material = f"rid|{state}|{identity.resident_internal_id.strip().upper()}"
    else:
        material = "|".join(
            (
                "mds",
                state,
                identity.facility_internal_id.strip().upper(),
                normalise_ssn(identity.ssn),
                normalise_name(identity.last_name),
                normalise_name(identity.first_name),
                identity.birth_date.strip(),
                identity.gender.strip(),
            )
        )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]
