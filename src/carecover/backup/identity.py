"""Member identity without keeping a Social Security number in clear.

Alpha+ lets a provider find a member by SSN when two members share a name
and date of birth (domain notes §1.3). We keep only what that look-up needs:
a keyed hash (HMAC-SHA256 with a secret the deployment holds, so the hash
cannot be reversed by hashing all 10^9 SSNs) and the last four digits (to
show a person which member they picked). No object returned here holds the
clear number.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Mapping
from datetime import date

from carecover.backup.report import Member
from carecover.errors import ConfigError, InputError

__all__ = [
    "MIN_KEY_BYTES",
    "SECRET_KEY_VARIABLE",
    "hash_ssn",
    "impossible_ssn",
    "member_from_ssn",
    "secret_key_from_env",
    "ssn_last4",
]

#: The environment variable holding the key for SSN hashes.
SECRET_KEY_VARIABLE = "CARECOVER_SECRET_KEY"  # noqa: S105 (a name, not a secret)
#: A shorter key would make the keyed hash guessable.
MIN_KEY_BYTES = 32

_SEPARATORS = re.compile(r"[\s\-]")


def _digits(ssn: str) -> str:
    """The nine digits of ``ssn`` (dashes and spaces dropped) or InputError."""
    digits = _SEPARATORS.sub("", ssn)
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit():
        # Never echo the value: it may be a real SSN typed in the wrong column.
        raise InputError("a Social Security number has 9 digits (123-45-6789)", field="member_ssn")
    if impossible_ssn(digits):
        raise InputError(
            "is not a Social Security number that can exist (area 000, 666 or 900-999, "
            "group 00 or serial 0000 are never issued)",
            field="member_ssn",
        )
    return digits


def impossible_ssn(digits: str) -> bool:
    """Whether nine SSN digits fall in a range the SSA never issues.

    Area 000, 666 and 900-999, group 00 and serial 0000 are never assigned
    (SSA, "Social Security Number Randomization", 2011): such a number is a
    typing slip or a placeholder, and would match no member.
    """
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area in {"000", "666"} or area.startswith("9") or group == "00" or serial == "0000"


def hash_ssn(ssn: str, *, key: bytes) -> str:
    """The HMAC-SHA256 hex digest of the SSN's nine digits under ``key``."""
    if not key:
        raise ConfigError(f"{SECRET_KEY_VARIABLE} is empty: cannot hash a member's SSN")
    return hmac.new(key, _digits(ssn).encode("ascii"), hashlib.sha256).hexdigest()


def ssn_last4(ssn: str) -> str:
    """The last four digits of a nine-digit SSN."""
    return _digits(ssn)[-4:]


def member_from_ssn(
    *,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    medicaid_id: str,
    ssn: str | None,
    key: bytes | None,
) -> Member:
    """A ``Member`` whose SSN, if given, is kept only as a keyed hash and last four digits.

    Without a key the hash is left out but the last four digits are kept: a
    report can still be filed, it just cannot be found by SSN.
    """
    if ssn is None or not ssn.strip():
        return Member(first_name, last_name, date_of_birth, medicaid_id)
    return Member(
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        medicaid_id=medicaid_id,
        ssn_hash=hash_ssn(ssn, key=key) if key else None,
        ssn_last4=ssn_last4(ssn),
    )


def secret_key_from_env(environ: Mapping[str, str] | None = None) -> bytes:
    """The SSN-hash key from ``CARECOVER_SECRET_KEY``; ConfigError if missing or short."""
    env = os.environ if environ is None else environ
    value = env.get(SECRET_KEY_VARIABLE, "")
    if not value:
        raise ConfigError(f"{SECRET_KEY_VARIABLE} is not set: it keys the hash of members' SSNs")
    key = value.encode("utf-8")
    if len(key) < MIN_KEY_BYTES:
        raise ConfigError(
            f"{SECRET_KEY_VARIABLE} is too short: use at least {MIN_KEY_BYTES} characters"
        )
    return key
