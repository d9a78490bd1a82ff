"""Load generation for the portal benchmark: wrk (Debian's package) on loopback.

``wrk`` drives gunicorn with a Lua script per scenario; each scenario's
requests carry a signed-in session and a CSRF token, exactly as a browser's
form posts do. Figures come from wrk's own summary (``--latency``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

WRK_THREADS = 2
WRK_CONNECTIONS = 8


@dataclass(frozen=True)
class LoadResult:
    """What wrk measured for one scenario."""

    label: str
    requests: int
    seconds: float
    per_second: float
    p50_ms: float
    p99_ms: float
    bad_responses: int


def wrk_available() -> bool:
    """Whether the wrk binary is installed (``apt-get install -y wrk``)."""
    return shutil.which("wrk") is not None


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _script(paths: list[str], body: str, cookie: str) -> str:
    """A wrk script that posts ``body`` to the paths in turn, each thread its own stride."""
    listed = ",\n".join(_lua_string(p) for p in paths)
    return f"""
local paths = {{
{listed}
}}
local threads = 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
local sent = 0
local headers = {{
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Cookie"] = {_lua_string(cookie)},
}}
local body = {_lua_string(body)}
request = function()
  local index = (offset + sent * {WRK_THREADS}) % #paths + 1
  sent = sent + 1
  return wrk.format("POST", paths[index], headers, body)
end
"""


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def run_wrk(
    label: str,
    base_url: str,
    *,
    paths: list[str],
    form: dict[str, str],
    cookie: str,
    seconds: int,
) -> LoadResult:
    """POST ``form`` to ``paths`` (cycling) for ``seconds`` with wrk; parse its summary."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "load.lua"
        script.write_text(_script(paths, urlencode(form), cookie), encoding="utf-8")
        argv = [
            "wrk",
            f"-t{WRK_THREADS}",
            f"-c{WRK_CONNECTIONS}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "30s",
            "-s",
            str(script),
            base_url,
        ]
        out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    total = re.search(r"(\d+) requests in ([\d.]+)(s|m)", out)
    if total is None:
        raise RuntimeError(f"could not read wrk's output:\n{out}")
    elapsed = float(total.group(2)) * (60 if total.group(3) == "m" else 1)
    pct = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, flags=re.MULTILINE))
    if "50" not in pct or "99" not in pct:
        raise RuntimeError(f"no latency distribution in wrk's output:\n{out}")
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return LoadResult(
        label=label,
        requests=int(total.group(1)),
        seconds=elapsed,
        per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50_ms=_ms(pct["50"]),
        p99_ms=_ms(pct["99"]),
        bad_responses=int(bad.group(1)) if bad else 0,
    )
