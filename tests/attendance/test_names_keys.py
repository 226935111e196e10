import pytest
from django.test import override_settings

from attendance import keys, names


@pytest.mark.parametrize("typed, printed", [
    ("José Ñúñez", "  jose   NUNEZ "),
    ("Zoë O'Brien", "ZOE O'BRIEN"),
    ("Straße", "STRASSE"),
    ("Анна Петрова", "анна  петрова"),
    ("Ёлкин", "Елкин"),
    ("محمد علي", " محمد   علي "),
    ("王小明", "王小明"),
    ("ＡＢＣ", "abc"),
])
def test_normalising_matches_natural_typing(typed, printed):
    assert names.normalise(typed) == names.normalise(printed)


@pytest.mark.parametrize("a, b", [("Anna", "Anne"), ("王小明", "王小朋"), ("محمد", "محمود")])
def test_normalising_keeps_different_names_apart(a, b):
    assert names.normalise(a) != names.normalise(b)


@pytest.mark.parametrize("value", ["", "x" * 121, "Ann\u202eA", "Ann\x00A", "Ann\x07A", "---", "\u200b"])
def test_unprintable_empty_or_overlong_names_are_refused(value):
    assert names.printed_name_problem(names.clean_printed_name(value))


@pytest.mark.parametrize("value", ["A", "x" * 120, "王小明", "محمد علي", "Mehr\u200cdad"])
def test_printable_names_pass(value):
    assert names.printed_name_problem(value) is None


def test_hash_depends_on_key_name_and_code():
    one = keys.Key("a", b"s" * 40)
    two = keys.Key("b", b"t" * 40)
    base = keys.name_hash(one, "ann", "CODE")
    assert len(base) == 64
    assert base != keys.name_hash(two, "ann", "CODE")
    assert base != keys.name_hash(one, "anna", "CODE")
    assert base != keys.name_hash(one, "ann", "CODF")


@override_settings(ATTENDANCE_KEYS="new:" + "n" * 40 + ", old:" + "o" * 40)
def test_rotation_new_slips_use_the_first_key_and_old_slips_still_match():
    assert keys.current_key().id == "new"
    old_hash = keys.name_hash(keys.Key("old", b"o" * 40), "ann", "C")
    assert keys.matches(key_id="old", stored_hash=old_hash, normalised_name="ann", slip_code="C")
    assert not keys.matches(key_id="old", stored_hash=old_hash, normalised_name="anne", slip_code="C")
    assert not keys.matches(key_id="gone", stored_hash=old_hash, normalised_name="ann", slip_code="C")


@pytest.mark.parametrize("value", ["", "nocolon", ":secret", "a:", "a:" + "x" * 40 + ",a:" + "y" * 40, "bad id:" + "x" * 40])
def test_malformed_keys_are_refused(value):
    with pytest.raises(ValueError):
        keys.parse_keys(value)


def test_production_refuses_the_development_key_and_short_keys(settings):
    assert keys.keys_problem(settings.ATTENDANCE_KEYS_DEFAULT)
    assert keys.keys_problem("k1:short")
    assert keys.keys_problem("k1:" + "r8Jx2" * 8) is None
    assert "attendance-dev-only" not in (keys.keys_problem(settings.ATTENDANCE_KEYS_DEFAULT) or "")


def _production_check(attendance_keys):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "ATTENDANCE_KEYS")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "lms.settings.production", "SECRET_KEY": "x" * 30 + "-production-like-secret-key-0123456789",
        "ALLOWED_HOSTS": "training.example.org", "CREDENTIAL_SIGNING_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        "REDIS_URL": "redis://127.0.0.1:6379/13",
    })
    if attendance_keys is not None:
        env["ATTENDANCE_KEYS"] = attendance_keys
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=Path(__file__).resolve().parents[2], env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("value", [None, "dev1:attendance-dev-only-not-secret-key-0123456789", "k1:short-secret"])
def test_production_refuses_to_start_without_its_own_attendance_key(value):
    result = _production_check(value)
    assert result.returncode != 0 and "ATTENDANCE_KEYS" in result.stderr
    if value:
        assert value.partition(":")[2] not in result.stderr  # the secret is never printed


def test_production_starts_with_a_strong_attendance_key():
    result = _production_check("k2:" + "Zq8#" + "4tYv9LpW2mXc7RbN1sKd6HfJ3gTe5QaU")
    assert result.returncode == 0, result.stderr
