"""``lms/worker_priority.py``, in child processes (a nice value cannot be lowered again)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import os
from lms.worker_priority import lower_priority
lower_priority({niceness})
group = open("/proc/self/autogroup").read().split()[-1] if os.path.exists("/proc/self/autogroup") else "-"
print(os.getpriority(os.PRIO_PROCESS, 0), group)
"""


def _probe(niceness: int, *, own_session: bool) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(niceness=niceness)], cwd=ROOT, capture_output=True, text=True,
        check=True, start_new_session=own_session,
    )
    nice, group = result.stdout.split()
    return int(nice), group


def _own_group() -> str:
    return open("/proc/self/autogroup").read().split()[-1] if os.path.exists("/proc/self/autogroup") else "-"


def test_a_worker_leading_its_session_lowers_itself_and_its_group():
    base = os.getpriority(os.PRIO_PROCESS, 0)
    nice, group = _probe(7, own_session=True)
    assert nice == max(base, 7)
    if group != "-":
        assert group == "7"


def test_a_worker_started_from_a_shell_leaves_the_shells_group_alone():
    base, before = os.getpriority(os.PRIO_PROCESS, 0), _own_group()
    if before == "7":
        pytest.skip("this session's group already has the nice value the probe would set")
    nice, group = _probe(7, own_session=False)
    assert nice == max(base, 7)
    assert group == before  # the child shares this process's group: untouched


@pytest.mark.parametrize("niceness", [0, -5])
def test_zero_keeps_the_priority(niceness):
    assert _probe(niceness, own_session=True) == (os.getpriority(os.PRIO_PROCESS, 0), _own_group())
