"""The house rules, read from the source with ``ast``: nothing of the project is imported
or run, so a broken rule is reported even where the code would not import.

``Project(root)`` parses every module of the house (the apps, ``kernel`` and ``lms``;
tests and bench are not part of it) and records each import: which module imports
which, the names it takes, the line, whether it sits inside a function and whether it
only runs for type checkers (``if TYPE_CHECKING:``). Each rule is a function of a
``Project`` returning its offenders as readable lines, empty when the rule holds:

- ``circles``: modules that import each other in a loop, counting imports inside
  functions (they run the moment the function does); type-checking imports never run,
  so they tie no circle.
- ``upward_imports``: an import from a lower layer to a higher one (``LAYERS``).
  Migrations are exempt; type-checking imports count (the arrow is there all the same).
- ``private_imports``: another module's ``_private`` name, taken with ``from x import _y``
  or used as ``x._y`` on a project module bound by an import.
- ``long_files``: a file over ``MAX_LINES`` lines, outside migrations and demo content.
- ``untyped_functions``: a function (module level or method) in a services or selectors
  module without annotations for every parameter (``self``/``cls`` aside) and its return.

Imports the code makes by name at run time (``import_string``, task names, ``apps.get_model``)
are not seen: they are what the registries and jobs are for.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The layers, lowest first: a module may import from its own package and the ones before it.
# ``lms`` (the project package: settings, urls, the demo assembled from the top) may
# import anything; ``kernel`` nothing of ours.
LAYERS = (
    "kernel", "accounts", "courses", "certification", "continuing_education", "attendance", "payments",
    "organisations", "lms",
)
MAX_LINES = 400
TYPED_MODULES = {"services", "selectors"}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the project module imported
    base: str  # as the statement names it, made absolute: "from base import names" / "import base"
    names: tuple[str, ...]  # the names taken from it ("from target import a, b"); empty for "import target"
    line: int
    local: bool  # inside a function: runs when the function does
    runtime: bool  # False under ``if TYPE_CHECKING:``

    def describe(self, project: Project) -> str:
        where = f"{project.modules[self.source].path}:{self.line}"
        names = f" ({', '.join(self.names)})" if self.names else ""
        notes = [note for note, on in (("in a function", self.local), ("type checking only", not self.runtime)) if on]
        return f"{where} {self.source} -> {self.target}{names}" + (f" [{'; '.join(notes)}]" if notes else "")


@dataclass
class Module:
    name: str
    path: Path  # relative to the project root
    tree: ast.Module
    lines: int

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"

    @property
    def layer(self) -> str:
        return self.name.split(".", 1)[0]


class Project:
    """Every module of ``packages`` under ``root``, parsed, and the imports between them."""

    def __init__(self, root: Path = ROOT, packages: tuple[str, ...] = LAYERS) -> None:
        self.root = root
        self.modules: dict[str, Module] = {}
        for package in packages:
            for path in sorted((root / package).rglob("*.py")):
                relative = path.relative_to(root)
                parts = list(relative.with_suffix("").parts)
                if parts[-1] == "__init__":
                    parts.pop()
                text = path.read_text(encoding="utf-8")
                tree = ast.parse(text, filename=str(relative))
                self.modules[".".join(parts)] = Module(".".join(parts), relative, tree, len(text.splitlines()))
        self.imports: list[Import] = []
        self.bindings: dict[str, dict[str, str]] = {}  # module -> {local name: project module}
        for module in self.modules.values():
            collector = _ImportCollector(self, module)
            collector.visit(module.tree)
            self.imports += collector.imports
            self.bindings[module.name] = collector.bindings

    def find(self, dotted: str) -> str | None:
        """The project module ``dotted`` names, or the longest project module it starts with."""
        parts = dotted.split(".")
        while parts:
            name = ".".join(parts)
            if name in self.modules:
                return name
            parts.pop()
        return None

    def is_module(self, dotted: str) -> bool:
        return dotted in self.modules


class _ImportCollector(ast.NodeVisitor):
    def __init__(self, project: Project, module: Module) -> None:
        self.project = project
        self.module = module
        self.imports: list[Import] = []
        self.bindings: dict[str, str] = {}
        self.depth = 0  # functions we are inside
        self.type_checking = 0  # ``if TYPE_CHECKING:`` blocks we are inside

    def _add(self, target: str, base: str, names: tuple[str, ...], line: int) -> None:
        if target != self.module.name:
            self.imports.append(
                Import(self.module.name, target, base, names, line, self.depth > 0, self.type_checking == 0)
            )

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        guarded = (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        )
        self.visit(node.test)
        self.type_checking += guarded
        for statement in node.body:
            self.visit(statement)
        self.type_checking -= guarded
        for statement in node.orelse:
            self.visit(statement)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            target = self.project.find(alias.name)
            if target is None:
                continue  # not ours
            self._add(target, alias.name, (), node.lineno)
            if alias.asname:
                self.bindings[alias.asname] = target
            else:  # ``import a.b`` binds ``a``
                top = alias.name.split(".", 1)[0]
                if self.project.is_module(top):
                    self.bindings[top] = top

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = self._base(node)
        if base is None:
            return
        taken: dict[str, list[str]] = {}
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            if self.project.is_module(submodule):  # ``from package import module``
                self.bindings[alias.asname or alias.name] = submodule
                taken.setdefault(submodule, []).append(alias.name)
            elif (target := self.project.find(base)) is not None:
                taken.setdefault(target, []).append(alias.name)
        for target, names in taken.items():
            self._add(target, base, tuple(names), node.lineno)

    def _base(self, node: ast.ImportFrom) -> str | None:
        if node.level == 0:
            return node.module if self.project.find(node.module or "") else None
        package = self.module.name.split(".")
        if not self.module.is_package:
            package.pop()
        if node.level - 1 > len(package):
            return None
        package = package[: len(package) - (node.level - 1)]
        return ".".join(package + ([node.module] if node.module else []))


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _exempt_from_layers(module: Module) -> bool:
    return "migrations" in module.path.parts


# --------------------------------------------------------------------------- the rules


def circles(project: Project) -> list[str]:
    """Each circle of modules importing each other at run time, with the imports that tie it."""
    edges: dict[str, dict[str, list[Import]]] = {name: {} for name in project.modules}
    for imp in project.imports:
        if imp.runtime:
            edges[imp.source].setdefault(imp.target, []).append(imp)
    found = []
    for component in _strongly_connected(edges):
        if len(component) < 2:
            continue
        members = set(component)
        ties = [
            imp.describe(project)
            for source in sorted(members)
            for target, imports in sorted(edges[source].items())
            if target in members
            for imp in imports
        ]
        found.append(f"circle of {len(members)}: {', '.join(sorted(members))}\n  " + "\n  ".join(ties))
    return sorted(found)


def _strongly_connected(edges: dict[str, dict[str, list]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (no recursion limit to meet on a long chain)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components = []
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(edges[successor])))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(component)
    return components


def upward_imports(project: Project, layers: tuple[str, ...] = LAYERS) -> list[str]:
    """Imports from a lower layer to a higher one (migrations exempt)."""
    rank = {name: i for i, name in enumerate(layers)}
    found = []
    for imp in project.imports:
        source, target = project.modules[imp.source], project.modules[imp.target]
        if _exempt_from_layers(source) or source.layer not in rank or target.layer not in rank:
            continue
        if rank[target.layer] > rank[source.layer]:
            found.append(f"{imp.describe(project)}: {source.layer} is below {target.layer}")
    return sorted(found)


def private_imports(project: Project) -> list[str]:
    """Another module's ``_private`` names, imported or used as an attribute of a module."""
    found = [
        f"{project.modules[imp.source].path}:{imp.line} {imp.source}: from {imp.base} import {', '.join(private)}"
        for imp in project.imports
        if imp.base != imp.source and (private := [n for n in imp.names if _is_private(n)])
    ]
    for module in project.modules.values():
        bindings = project.bindings[module.name]
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.Attribute) or not _is_private(node.attr):
                continue
            owner = _module_of(node.value, bindings, project)
            if owner is not None and owner != module.name:
                found.append(f"{module.path}:{node.lineno} {module.name} uses {owner}.{node.attr}")
    return sorted(found)


def _module_of(node: ast.expr, bindings: dict[str, str], project: Project) -> str | None:
    """The project module an expression such as ``a`` or ``a.b`` stands for, if it is one."""
    if isinstance(node, ast.Name):
        return bindings.get(node.id)
    if isinstance(node, ast.Attribute):
        owner = _module_of(node.value, bindings, project)
        if owner is not None and project.is_module(f"{owner}.{node.attr}"):
            return f"{owner}.{node.attr}"
    return None


def long_files(project: Project, limit: int = MAX_LINES) -> list[str]:
    """Files over ``limit`` lines, outside migrations and demo content."""
    found = []
    for module in project.modules.values():
        parts = module.path.with_suffix("").parts
        if "migrations" in parts or "demo" in parts:
            continue
        if module.lines > limit:
            found.append(f"{module.path}: {module.lines} lines")
    return sorted(found)


def untyped_functions(project: Project) -> list[str]:
    """Functions in services and selectors modules missing an annotation (which ones)."""
    found = []
    for module in project.modules.values():
        if not ({module.path.stem, module.path.parent.name} & TYPED_MODULES):
            continue
        for function, is_method in _functions(module.tree.body, in_class=False):
            missing = _unannotated(function, is_method)
            if missing:
                found.append(f"{module.path}:{function.lineno} {function.name}: {', '.join(missing)}")
    return sorted(found)


def _functions(body: list[ast.stmt], *, in_class: bool):
    """Module-level functions and methods (of classes at any depth), not closures."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node, in_class
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node.body, in_class=True)
        elif isinstance(node, (ast.If, ast.Try)):  # definitions made conditionally
            yield from _functions(node.body + node.orelse, in_class=in_class)


def _unannotated(function: ast.FunctionDef | ast.AsyncFunctionDef, is_method: bool) -> list[str]:
    args = function.args
    positional = args.posonlyargs + args.args
    static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in function.decorator_list)
    if is_method and not static and positional:
        positional = positional[1:]  # self / cls
    params = positional + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a is not None]
    missing = [a.arg for a in params if a.annotation is None]
    if function.returns is None:
        missing.append("return")
    return missing
