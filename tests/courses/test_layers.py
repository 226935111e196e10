"""Inside the courses app, imports point one way: the models import nothing that builds on
them (the page types ask ``courses.page_views``), reads never import writes, writes never
import views, admin pages or tasks. Imports inside functions count as much as those at
the top of a file (they made the circle this app once had)."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COURSES = ROOT / "courses"

ABOVE_THE_MODELS = (
    "courses.views", "courses.selectors", "courses.services", "courses.next_steps", "courses.outline",
    "courses.routing", "courses.assessment", "courses.admin", "courses.tasks", "courses.wagtail_hooks",
)
WRITES_AND_ABOVE = (
    "courses.services", "courses.assessment.services", "courses.views", "courses.assessment.views",
    "courses.admin", "courses.tasks", "courses.assessment.tasks", "courses.wagtail_hooks",
)
VIEWS_AND_ABOVE = (
    "courses.views", "courses.assessment.views", "courses.admin", "courses.tasks", "courses.assessment.tasks",
    "courses.wagtail_hooks",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, *, package: list[str] | None = None) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function, as dotted names (a
    name taken from a package counts as its submodule: ``from . import services``).
    ``package``: the file's package, when it is not under the project."""
    if package is None:
        package = module_name(path).split(".")
        if path.name != "__init__.py":
            package = package[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def files(*patterns: str) -> list[Path]:
    found = sorted({path for pattern in patterns for path in COURSES.glob(pattern)})
    assert found, patterns
    return found


def offending_names(names: set[str], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(name for name in names if any(name == f or name.startswith(f + ".") for f in forbidden))


def offending(path: Path, forbidden: tuple[str, ...]) -> list[str]:
    return offending_names(imported(path), forbidden)


@pytest.mark.parametrize("path", files("models/*.py"), ids=str)
def test_the_models_import_nothing_that_builds_on_them(path):
    assert offending(path, ABOVE_THE_MODELS) == []


@pytest.mark.parametrize(
    "path", files("selectors/*.py", "assessment/selectors.py", "assessment/stats.py", "next_steps.py", "outline.py"),
    ids=str,
)
def test_reads_never_import_writes(path):
    assert offending(path, WRITES_AND_ABOVE) == []


@pytest.mark.parametrize("path", files("services/*.py", "assessment/services/*.py"), ids=str)
def test_writes_never_import_views_admin_pages_or_tasks(path):
    assert offending(path, VIEWS_AND_ABOVE) == []


def test_an_import_inside_a_function_is_seen(tmp_path):
    """The check itself: the kind of import that held the old circle together is found."""
    source = tmp_path / "pages.py"
    source.write_text("def serve(request, page):\n    from ..views import serve_course_item\n")
    assert "courses.views" in offending_names(imported(source, package=["courses", "models"]), ABOVE_THE_MODELS)
