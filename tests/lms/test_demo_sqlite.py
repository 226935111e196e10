"""`make demo` runs on SQLite with tasks in-process, while the rest of the suite runs on
PostgreSQL: this test migrates and seeds a fresh SQLite database in a child process with
the demo's settings and walks a learner through it."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(args, env):
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    # Nothing alarming for a newcomer to read: kombu warned of a missing broker host while
    # tasks ran in-process.
    assert "No hostname was supplied" not in result.stderr
    return result.stdout


@pytest.mark.integration
def test_the_demo_works_on_sqlite(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    run(["manage.py", "migrate", "--no-input", "-v", "0"], env)
    assert "learner@example.org" in run(["manage.py", "seed_demo"], env)
    assert "demo walkthrough ok" in run(["-m", "tests.lms.demo_walkthrough"], env)
