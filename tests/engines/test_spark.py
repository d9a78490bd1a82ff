"""Starting the Spark engine: a command's output stays its report, and a bad master is one line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from carecover.engines import connect
from carecover.engines.spark import _java_message, check_master
from carecover.errors import ConfigError
from tests.conftest import REPO, CliResult

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


def _closed_port() -> int:
    """A loopback port nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.parametrize(
    "master",
    [
        "bogus",
        "local[x]",
        "local[0]",
        "local[*] ",
        "spark://",
        "spark://127.0.0.1",
        "spark://127.0.0.1:port",
        "spark://127.0.0.1:99999",
        "http://127.0.0.1:7077",
    ],
)
def test_a_master_url_spark_does_not_take_is_refused_before_spark_starts(master: str) -> None:
    with pytest.raises(ConfigError, match="not a Spark master URL") as caught:
        connect("spark", master=master)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "master",
    [
        "local",
        "local[*]",
        "local[4]",
        "local[2,3]",
        "local[*,2]",
        "local-cluster[2,1,1024]",
        "yarn",
        "k8s://https://10.0.0.1:6443",
    ],
)
def test_every_form_of_master_url_spark_takes_passes_the_check(master: str) -> None:
    check_master(master)


def test_a_standalone_master_nobody_answers_at_is_one_line_at_once(
    cli: Callable[..., CliResult],
) -> None:
    port = _closed_port()
    master = f"spark://127.0.0.1:{port}"
    path = REPO / "tests" / "fixtures" / "pbj" / "rn_coverage.csv"
    result = cli("pbj", "measures", path, "--engine", "spark", "--spark-master", master)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"error: could not reach the Spark master {master}"
        f" (127.0.0.1:{port}: Connection refused): is it running?\n"
    )


def test_of_several_standalone_masters_one_answering_is_enough() -> None:
    with socket.create_server(("127.0.0.1", 0)) as standby:
        port = standby.getsockname()[1]
        check_master(f"spark://127.0.0.1:{_closed_port()},127.0.0.1:{port}")
    with pytest.raises(ConfigError, match="could not reach"):
        check_master(f"spark://127.0.0.1:{_closed_port()},127.0.0.1:{_closed_port()}")


def test_a_java_error_is_told_by_its_first_line_without_the_stack_trace() -> None:
    # What pyspark 4.0.5 raised when a standalone master never answered.
    raised = Exception(
        "An error occurred while calling None.org.apache.spark.sql.classic.SparkSession.\n"
        ": java.lang.IllegalStateException: Cannot call methods on a stopped SparkContext.\n"
        "This stopped SparkContext was created at:\n\n"
        "org.apache.spark.api.java.JavaSparkContext.<init>(JavaSparkContext.scala:59)\n"
        "\tat org.apache.spark.SparkContext.assertNotStopped(SparkContext.scala:128)\n"
    )
    assert _java_message(raised) == (
        "java.lang.IllegalStateException: Cannot call methods on a stopped SparkContext."
    )
    gateway = RuntimeError("[JAVA_GATEWAY_EXITED] Java gateway process exited.")
    assert _java_message(gateway) == "[JAVA_GATEWAY_EXITED] Java gateway process exited."
