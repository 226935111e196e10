"""``lms/worker_priority.py``, in child processes (a nice value cannot be lowered again)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lms.worker_priority import group_nice_from, session_group_nice

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import os
from lms.worker_priority import lower_priority, session_group_nice
{call}
print(os.getpriority(os.PRIO_PROCESS, 0), session_group_nice())
"""


def _probe(niceness: int | None, *, own_session: bool) -> tuple[int, int | None]:
    """The child's nice value and its session group's, after ``lower_priority(niceness)``
    (None: without calling it)."""
    call = "" if niceness is None else f"lower_priority({niceness})"
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(call=call)], cwd=ROOT, capture_output=True, text=True,
        check=True, start_new_session=own_session,
    )
    nice, group = result.stdout.split()
    return int(nice), None if group == "None" else int(group)


def test_a_worker_leading_its_session_lowers_itself_and_its_group():
    base = os.getpriority(os.PRIO_PROCESS, 0)
    nice, group = _probe(7, own_session=True)
    assert nice == max(base, 7)
    if group is not None:  # None: no session group here (no autogroup, or a CPU cgroup)
        assert group == 7


def test_a_worker_started_from_a_shell_leaves_the_shells_group_alone():
    base, before = os.getpriority(os.PRIO_PROCESS, 0), session_group_nice()
    if before == 7:
        pytest.skip("this session's group already has the nice value the probe would set")
    nice, group = _probe(7, own_session=False)
    assert nice == max(base, 7)
    assert group == before  # the child shares this process's group: untouched


@pytest.mark.parametrize("niceness", [0, -5])
def test_zero_keeps_the_priority(niceness):
    """Compared with a child that never calls it, in a session of its own: a new session's
    group is not this one's (CI reads no group here and a real one in the child)."""
    untouched = _probe(None, own_session=True)
    assert untouched[0] == os.getpriority(os.PRIO_PROCESS, 0)
    assert _probe(niceness, own_session=True) == untouched


@pytest.mark.parametrize("line, nice", [
    ("/autogroup-85 nice 0\n", 0), ("/autogroup-3 nice 10\n", 10), ("/autogroup-3 nice -5\n", -5),
    ("", None), ("garbage", None),
])
def test_the_session_group_is_read_from_the_kernels_line(line, nice):
    """An empty line is what a process in a CPU cgroup reads (CI runs so): no group, no error."""
    assert group_nice_from(line) == nice
