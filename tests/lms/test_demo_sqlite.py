"""`make demo` runs on SQLite with tasks in-process and DEBUG off, while the rest of the
suite runs on PostgreSQL: these tests read what the Makefile runs, then migrate and seed a
fresh SQLite database in child processes with the demo's settings, as ``make demo`` and
then ``make demo PORT=8137`` would, and walk people through it."""
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
    # tasks ran in-process; whitenoise of a static folder the demo does not need.
    assert "No hostname was supplied" not in result.stderr
    assert "No directory at" not in result.stderr
    return result.stdout


def make_demo_commands(*args) -> list[str]:
    """The commands ``make demo`` runs (``make -n`` prints them without running them)."""
    result = subprocess.run(["make", "-n", "demo", *args], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if "manage.py" in line]


@pytest.mark.parametrize("args, port", [((), "8000"), (("PORT=8137",), "8137")])
def test_make_demo_serves_on_the_chosen_port_and_links_follow_it(args, port):
    commands = make_demo_commands(*args)
    assert [c.split("manage.py ")[1].split()[0] for c in commands] == ["compile_catalogues", "migrate", "seed_demo", "runserver"]
    for command in commands:
        # Every step with the demo's settings and the address it serves on.
        assert f"BASE_URL=http://127.0.0.1:{port} " in command, command
        assert "DJANGO_SETTINGS_MODULE=lms.settings.demo " in command, command
    assert commands[-1].endswith(f"runserver 127.0.0.1:{port}")


def demo_env(tmp_path, port: int) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.demo",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
        "BASE_URL": f"http://127.0.0.1:{port}",
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    return env


@pytest.mark.integration
def test_the_demo_works_on_sqlite_on_another_port(tmp_path):
    first = demo_env(tmp_path, 8000)
    run(["manage.py", "migrate", "--no-input", "-v", "0"], first)
    output = run(["manage.py", "seed_demo"], first)
    assert "learner@example.org" in output and "http://127.0.0.1:8000/admin/" in output
    # The same database served on another port, as `make demo PORT=8137` runs it.
    moved = demo_env(tmp_path, 8137)
    run(["manage.py", "migrate", "--no-input", "-v", "0"], moved)
    output = run(["manage.py", "seed_demo"], moved)
    assert "http://127.0.0.1:8137/admin/" in output and "8000" not in output
    assert "0 pages created" in output and "0 accounts created" in output
    # The certificate and the written answer waiting for review, as the README names them.
    assert "code DEM0-CERT-2026-FAM1-0001" in output
    assert "http://127.0.0.1:8137/certificates/verify/DEM0CERT2026FAM10001/" in output
    assert "amara.osei@riverside-recovery.example / demo-staff-pass" in output
    assert "http://127.0.0.1:8137/certificates/verify/DEM0CEHR2026MFT10001/" in output
    assert "demo walkthrough ok" in run(["-m", "tests.lms.demo_walkthrough"], moved)
