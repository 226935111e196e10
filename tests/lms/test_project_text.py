"""The project's own text describes the product as it is: the README's opening says what it
does, its demo tables name what the demo data really holds, and no file speaks of how the
work was divided up over time."""
import re
from pathlib import Path

from certification import codes
from certification import demo as certification_demo
from organisations import demo as organisations_demo

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SKIP_DIRS = {"node_modules", "media", "staticfiles", "__pycache__"}
TEXT_SUFFIXES = {".py", ".md", ".html", ".txt", ".css", ".js", ".ini", ".cfg", ".toml", ".yml", ".yaml", ""}
# Words about the work rather than the product: numbered sessions or stops, work to come.
HISTORY = re.compile(
    r"\bsessions? \d+\b|later work|until the \w+ work|work lands|\bstop \d+\b|the issue's|\bissue \d+\b",
    re.IGNORECASE,
)


def project_files():
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if any(part.startswith(".") or part in SKIP_DIRS for part in relative.parts):
            continue
        if path.is_file() and path.suffix in TEXT_SUFFIXES and path.name != "package-lock.json":
            yield relative, path


def test_no_file_speaks_of_how_the_work_was_divided():
    found = []
    for relative, path in project_files():
        if relative == Path(__file__).relative_to(ROOT):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if HISTORY.search(line):
                found.append(f"{relative}:{number}: {line.strip()[:120]}")
    assert not found, "\n".join(found)


def test_the_readme_opening_says_what_the_product_does():
    opening = README.split("\n## ", 1)[0]
    for feature in ("assessments", "certificate", "verification page", "Open Badges 3.0", "Stripe",
                    "fee waivers", "scholarships", "organisations", "seats", "Wagtail"):
        assert feature in opening, feature


def test_the_readme_names_the_demo_certificate_and_the_answer_waiting_for_review():
    code = certification_demo.CERTIFICATE_CODE
    assert f"`{codes.display(code)}`" in README and f"/certificates/verify/{code}/" in README
    staff = organisations_demo.WAITING_FOR_REVIEW
    assert f"`{staff.email}` | `{staff.password}`" in README
    assert f"{staff.name}'s" in README  # whose answer waits
    assert "make demo PORT=8137" in README and "did:web:127.0.0.1%3A8137" in README
