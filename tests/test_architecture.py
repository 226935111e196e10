"""The house rules (``tests/architecture.py``) held against the code, and each rule shown to
catch what it forbids on a small made-up tree run through the same checker."""
from textwrap import dedent

import pytest

from tests import architecture
from tests.architecture import (
    MAX_LINES,
    Project,
    circles,
    long_files,
    private_imports,
    untyped_functions,
    upward_imports,
)


@pytest.fixture(scope="module")
def house() -> Project:
    return Project(architecture.ROOT)


def fail_with(findings: list[str], what: str, fix: str) -> None:
    if findings:
        pytest.fail(f"{len(findings)} {what}. {fix}\n" + "\n".join(findings), pytrace=False)


# --------------------------------------------------------------------------- the house today


def test_no_import_circle(house):
    fail_with(
        circles(house), "import circle(s), counting imports inside functions",
        "Break each at one of the imports listed (a registry, a signal, a job by name, or a "
        "module that both can import).",
    )


def test_no_import_from_a_lower_layer_to_a_higher_one(house):
    fail_with(
        upward_imports(house), "import(s) running back up the layers " + " < ".join(architecture.LAYERS),
        "A lower app announces a signal (events.py) or offers a registry that the higher one fills.",
    )


def test_no_module_takes_another_modules_private_name(house):
    fail_with(
        private_imports(house), "use(s) of another module's _private name",
        "Make the name public where it is meant to be shared, or keep its use in its own module.",
    )


def test_no_file_is_over_the_line_limit(house):
    fail_with(
        long_files(house), f"file(s) over {MAX_LINES} lines (migrations and demo content aside)",
        "Split them by meaning.",
    )


def test_services_and_selectors_are_fully_typed(house):
    fail_with(
        untyped_functions(house), "function(s) in services and selectors without an annotation (missing ones named)",
        "Annotate every parameter (self/cls aside) and the return; a user is accounts.models.User.",
    )


def test_the_house_is_read_whole(house):
    """The rules above read every app: a package that is not found would pass them all."""
    assert {m.layer for m in house.modules.values()} == set(architecture.LAYERS)
    assert "payments.services" in house.modules and "courses.models" in house.modules
    assert not any(m.path.parts[0] in {"tests", "bench"} for m in house.modules.values())


# --------------------------------------------------------------------------- made-up trees


def build(tmp_path, files: dict[str, str]) -> Project:
    """A tree of packages under ``tmp_path`` (``__init__.py`` made for every folder)."""
    for name, text in files.items():
        path = tmp_path / name
        for folder in [*reversed(path.relative_to(tmp_path).parents)][1:]:
            (tmp_path / folder).mkdir(exist_ok=True)
            (tmp_path / folder / "__init__.py").touch()
        path.write_text(dedent(text))
    return Project(tmp_path)


CLEAN = {
    "kernel/jobs.py": "import logging\n",
    "accounts/models.py": "from kernel import jobs\n",
    "courses/services.py": """\
        from accounts.models import User

        def enrollment_create(*, user: User, course_id: int) -> int:
            from courses import selectors
            return selectors.count(user=user)
        """,
    "courses/selectors.py": "def count(*, user: object) -> int:\n    return 1\n",
    "lms/urls.py": "from courses import services\nfrom kernel import jobs\n",
}


def test_a_clean_tree_breaks_no_rule(tmp_path):
    project = build(tmp_path, CLEAN)
    assert [circles(project), upward_imports(project), private_imports(project),
            long_files(project), untyped_functions(project)] == [[], [], [], [], []]


def test_a_circle_through_an_import_inside_a_function_is_found_with_its_ties(tmp_path):
    project = build(tmp_path, {
        "payments/services.py": "from payments import jobs\n",
        "payments/jobs.py": "from payments.tasks import order_fulfil_task\n",
        "payments/tasks.py": "def order_fulfil_task():\n    from payments.services import order_fulfil\n",
        "payments/models.py": "from payments import services\n",  # into the circle, not part of it
    })
    (found,) = circles(project)
    assert found.startswith("circle of 3: payments.jobs, payments.services, payments.tasks\n")
    assert "payments/tasks.py:2 payments.tasks -> payments.services (order_fulfil) [in a function]" in found
    assert "payments/jobs.py:1 payments.jobs -> payments.tasks (order_fulfil_task)" in found
    assert "payments/services.py:1 payments.services -> payments.jobs (jobs)" in found
    assert "payments.models" not in found


def test_an_import_for_type_checkers_only_ties_no_circle(tmp_path):
    files = {
        "courses/models.py": "from courses import services\n",
        "courses/services.py": """\
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                from courses.models import Enrollment
            """,
    }
    assert circles(build(tmp_path, files)) == []
    files["courses/services.py"] += "from courses.models import Enrollment\n"
    assert len(circles(build(tmp_path, files))) == 1


def test_relative_imports_are_resolved(tmp_path):
    project = build(tmp_path, {
        "certification/services/__init__.py": "from .issue import certificate_issue\n",
        "certification/services/issue.py": "from ..models import Certificate\nfrom . import base\n",
        "certification/services/base.py": "",
        "certification/models.py": "def f():\n    from .services import certificate_issue\n",
    })
    (found,) = circles(project)
    tie = "certification/services/issue.py:1 certification.services.issue -> certification.models (Certificate)"
    assert tie in found
    assert "certification.services.base" not in found


def test_imports_running_back_up_the_layers_are_found(tmp_path):
    project = build(tmp_path, {
        "kernel/cache.py": "from accounts.models import User\n",
        "accounts/models.py": "",
        "courses/views.py": "def f():\n    import certification.models\n",
        "certification/models.py": "from courses.models import CoursePage\n",
        "courses/models.py": "",
        "payments/admin.py": "from organisations import models as org_models\n",
        "payments/migrations/0002_x.py": "from organisations.models import Seat\n",
        "organisations/models.py": "from payments.admin import x\n",
        "lms/urls.py": "import organisations.models\n",
    })
    assert upward_imports(project) == [
        "courses/views.py:2 courses.views -> certification.models [in a function]: courses is below certification",
        "kernel/cache.py:1 kernel.cache -> accounts.models (User): kernel is below accounts",
        "payments/admin.py:1 payments.admin -> organisations.models (models): payments is below organisations",
    ]


def test_private_names_taken_from_another_module_are_found(tmp_path):
    project = build(tmp_path, {
        "payments/services/base.py": "_now = None\n__all__ = []\ndef _own():\n    return _now\n",
        "payments/services/codes.py": "from .base import _now, __all__\n",
        "payments/scholarships.py": """\
            import payments.services.base
            from payments.services import base as b
            from payments import services
            x = b._now
            y = payments.services.base._now
            z = services.base.__all__
            class C:
                def f(self):
                    return self._private
            """,
        "payments/views.py": "from payments.services import _helpers\n",
        "payments/services/_helpers.py": "",
        "payments/services/__init__.py": "from . import _helpers\n",  # its own private name
    })
    assert private_imports(project) == [
        "payments/scholarships.py:4 payments.scholarships uses payments.services.base._now",
        "payments/scholarships.py:5 payments.scholarships uses payments.services.base._now",
        "payments/services/codes.py:1 payments.services.codes: from payments.services.base import _now",
        "payments/views.py:1 payments.views: from payments.services import _helpers",
    ]


def test_long_files_are_found_outside_migrations_and_demo_content(tmp_path):
    at_limit, over = "x = 1\n" * MAX_LINES, "x = 1\n" * (MAX_LINES + 1)
    project = build(tmp_path, {
        "payments/models.py": over,
        "payments/views.py": at_limit,
        "payments/migrations/0001_initial.py": over * 2,
        "courses/demo/facilitator/intro.py": over,
        "lms/demo/__init__.py": over,
        "lms/settings/base.py": over,
    })
    assert long_files(project) == [
        f"lms/settings/base.py: {MAX_LINES + 1} lines",
        f"payments/models.py: {MAX_LINES + 1} lines",
    ]


def test_untyped_functions_in_services_and_selectors_are_found(tmp_path):
    project = build(tmp_path, {
        "courses/services.py": """\
            def typed(*, user: "User", n: int = 1) -> None: ...
            def no_return(*, user: "User"): ...
            def bare(user, *args, flag: bool, **kwargs) -> int: ...
            class Refused(Exception):
                def __init__(self, reason: str): ...
                @staticmethod
                def make(kind) -> "Refused": ...
                @classmethod
                def build(cls, kind: str) -> "Refused": ...
            def outer() -> None:
                def closure(x): ...  # not a function of the module
            """,
        "courses/selectors/__init__.py": "def outline(course) -> list: ...\n",
        "payments/services/checkout.py": "async def checkout_start(*, order_id: int): ...\n",
        "courses/views.py": "def untyped(request): ...\n",  # not a services or selectors module
    })
    assert untyped_functions(project) == [
        "courses/selectors/__init__.py:1 outline: course",
        "courses/services.py:2 no_return: return",
        "courses/services.py:3 bare: user, args, kwargs",
        "courses/services.py:5 __init__: return",
        "courses/services.py:7 make: kind",
        "payments/services/checkout.py:1 checkout_start: return",
    ]
