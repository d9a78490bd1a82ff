"""A realistic month of EVV visits for the synthetic members (demo, tests, benchmarks).

The members and providers are those of ``synth_backup_data`` with the same
seed, so the visits belong to the demo's world. Each member has a weekly
schedule; most visits are delivered (clock-ins a little early, clock-outs a
little late, which never leaves a gap), and a few are missed or cut short by
staff (backup unavailable, declined or not offered), covered by backup staff,
or cancelled by the member.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from carecover.backup.report import Member
from carecover.backup.synth import synth_backup_data
from carecover.backup.visit_layout import FIELDS

__all__ = ["synth_visits"]

_WINDOWS = ((time(8), time(12)), (time(9), time(15)), (time(15), time(21)), (time(22), time(6)))
_SERVICES = ("T2013TF", "H2015", "T2013TFHQ")
_STAFF = ("staff_illness", "staff_no_show", "staff_quit", "staff_vacancy", "staff_other")
_MEMBER = ("member_appointment", "member_illness", "member_vacation", "member_hospitalized")


def _clock(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def synth_visits(
    *,
    first: date,
    last: date,
    members: int = 40,
    agencies: int = 2,
    eors: int = 2,
    seed: int = 2026,
) -> list[dict[str, str]]:
    """Rows of the generic layout from ``first`` to ``last`` (inclusive), one per visit."""
    rng = random.Random(seed)
    world = synth_backup_data(
        first=first, last=last, agencies=agencies, eors=eors, members=members, seed=seed
    )
    owners = [p.provider_id for p in world.providers]
    out: list[dict[str, str]] = []
    for i, person in enumerate(world.members):
        provider = owners[i] if i < len(owners) else rng.choice(owners[:agencies])
        start, end = rng.choice(_WINDOWS)
        weekdays = sorted(rng.sample(range(7), rng.randint(3, 6)))
        service = rng.choice(_SERVICES)
        worker = f"W{rng.randrange(1000, 9999)}"
        day = first
        while day <= last:
            if day.weekday() in weekdays:
                out.append(_visit(rng, provider, person, service, worker, day, start, end))
            day += timedelta(days=1)
    return out


def _visit(
    rng: random.Random,
    provider: str,
    person: Member,
    service: str,
    worker: str,
    day: date,
    start: time,
    end: time,
) -> dict[str, str]:
    s = datetime.combine(day, start)
    e = datetime.combine(day, end)
    if e <= s:
        e += timedelta(days=1)
    # Early in and late out by a few minutes never leaves a gap.
    a_start: datetime | None = s - timedelta(minutes=rng.randrange(0, 8))
    a_end: datetime | None = e + timedelta(minutes=rng.randrange(0, 8))
    cause = backup = ""
    who = worker
    roll = rng.random()
    if roll < 0.03:  # missed: staff could not work, no backup
        a_start = a_end = None
        cause = rng.choice(_STAFF)
        backup = rng.choice(("unavailable", "unavailable", "declined", "not_offered"))
    elif roll < 0.05:  # cut short: staff arrived late or left early
        cut = timedelta(minutes=rng.choice((60, 90, 120)))
        if rng.random() < 0.5:
            a_start = s + cut
        else:
            a_end = e - cut
        cause = rng.choice(_STAFF)
        backup = "unavailable"
    elif roll < 0.07:  # covered by a backup worker
        cause, backup, who = rng.choice(_STAFF), "provided", f"W{rng.randrange(1000, 9999)}"
    elif roll < 0.10:  # cancelled by the member or family
        a_start = a_end = None
        cause = rng.choice(_MEMBER)
    values = dict.fromkeys(FIELDS, "")
    values.update(
        provider_id=provider,
        member_medicaid_id=person.medicaid_id,
        member_last_name=person.last_name,
        member_first_name=person.first_name,
        member_date_of_birth=person.date_of_birth.isoformat(),
        service_code=service,
        visit_date=day.isoformat(),
        scheduled_start=_clock(s),
        scheduled_end=_clock(e),
        actual_start=_clock(a_start) if a_start else "",
        actual_end=_clock(a_end) if a_end else "",
        worker_id=who,
        cause=cause,
        backup=backup,
    )
    return values
