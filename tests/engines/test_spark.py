"""Starting the Spark engine: a command's output stays its report."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

_START = """
from carecover.engines import connect
engine = connect("spark", master="local[1]")
engine.close()
print("started")
"""


def _start_spark(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # A process of its own: the tests' shared session has started its JVM already.
    return subprocess.run(
        [sys.executable, "-c", _START],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if k != "SPARK_CONF_DIR"} | env,
        timeout=600,
        check=True,
    )


def test_starting_spark_prints_no_java_log_lines(tmp_path: Path) -> None:
    done = _start_spark(tmp_path)
    assert done.stdout == "started\n"
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    # The JVM's own note on its incubator modules is all that is left (not a log line).
    assert [line for line in lines if "incubator modules" not in line] == []


def test_a_users_spark_configuration_directory_keeps_its_logging(tmp_path: Path) -> None:
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "log4j2.properties").write_text(
        "rootLogger.level = info\nrootLogger.appenderRef.stderr.ref = console\n"
        "appender.console.type = Console\nappender.console.name = console\n"
        "appender.console.target = SYSTEM_ERR\nappender.console.layout.type = PatternLayout\n"
        "appender.console.layout.pattern = %p %c{1}: %m%n\n"
        "logger.gateway.name = org.apache.spark.api.python.PythonGatewayServer\n"
        "logger.gateway.level = info\n"
    )
    done = _start_spark(tmp_path, SPARK_CONF_DIR=str(conf))
    assert "INFO SparkContext: Running Spark version" in done.stderr
