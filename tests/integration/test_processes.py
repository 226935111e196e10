"""The process starter the integration tests and the benchmarks share
(``tests/integration/processes.py``): a wait ends with the reason and the logs, a stopped
service leaves nothing of its process group behind, and the module needs no pytest (the
benchmarks run it)."""
import ast
import os
import sys
from pathlib import Path

import pytest

from tests.integration import processes
from tests.integration.processes import ProcessFailure, Service, wait_until


def python(tmp_path, name: str, code: str) -> Service:
    return Service(name, [sys.executable, "-c", code], env=dict(os.environ), log_path=tmp_path / f"{name}.log")


def test_a_wait_ends_when_a_process_dies_with_its_log(tmp_path):
    service = python(tmp_path, "short-lived", "print('cannot start: port taken', flush=True); raise SystemExit(3)")
    try:
        with pytest.raises(ProcessFailure) as failure:
            wait_until(lambda: False, what="the answer", timeout=30, services=[service])
    finally:
        service.stop()
    message = str(failure.value)
    assert message.startswith("Waiting for the answer: short-lived exited.")
    assert "cannot start: port taken" in message


def test_a_wait_that_runs_out_says_so_with_diagnostics(tmp_path):
    service = python(tmp_path, "sleeper", "import time; time.sleep(60)")
    try:
        with pytest.raises(ProcessFailure) as failure:
            wait_until(lambda: None, what="nothing", timeout=0.3, services=[service],
                       diagnostics=lambda: "queue lengths: {}")
        assert service.alive
        assert wait_until(lambda: "seen", what="something", services=[service]) == "seen"
    finally:
        service.stop()
    assert "Waiting for nothing: timed out after 0 s." in str(failure.value)
    assert "queue lengths: {}" in str(failure.value)


def test_stopping_a_service_ends_its_whole_process_group(tmp_path):
    # The parent ignores SIGTERM and its child would outlive it: stop() must end both.
    service = python(tmp_path, "parent", (
        "import signal, subprocess, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "print('child started', flush=True)\n"
        "time.sleep(60)\n"
    ))
    wait_until(lambda: "child started" in service.log_text(), what="the child", services=[service])
    wait_until(lambda: len(service.group_members()) == 2, what="two processes in the group", services=[service])
    service.stop(timeout=0.5)
    assert not service.alive
    # SIGKILL is delivered at once; the child is gone when the kernel has taken it down.
    assert wait_until(lambda: service.group_members() == [], what="the group to end", timeout=5)


def test_the_process_starter_needs_no_pytest():
    tree = ast.parse(Path(processes.__file__).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert "pytest" not in imported and "_pytest" not in imported
