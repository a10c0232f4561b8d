"""The shape of the code, checked: no import cycle, stages talk through their public
entries, and no module or function grows past what a reader takes in at once.

Imports are read with ``ast`` from every module of the package, wherever they are: at
the top, inside functions (the lazy imports that keep ``--help`` fast) and under
``if TYPE_CHECKING:`` (a dependency all the same).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import cityprofiles
from cityprofiles import _typing_imports

PACKAGE = Path(cityprofiles.__file__).parent
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

LONG_FUNCTIONS: dict[str, str] = {
    "cityprofiles.scaffold.city:city_yaml": "one f-string: the new file's text, top to "
    "bottom, as the editor will read it; pieces in other functions would hide its shape",
}
"""Functions allowed over :data:`MAX_FUNCTION_LINES`, each with the reason. Keep it empty:
a function this long is usually several steps that want names of their own."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
STAGES = {
    name.split(".")[1]
    for name, path in MODULES.items()
    if path.name == "__init__.py" and name.count(".") == 1
}
"""The stage packages (``content``, ``render``...): each a folder with an ``__init__``."""


def stage_of(module: str) -> str:
    """``cityprofiles.render.routes`` -> ``render``; a top-level module is its own stage."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def imports(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """``(line, module, names)`` of every ``cityprofiles`` import in a file."""
    package = module_name(path)
    is_init = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "cityprofiles":
                    yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: resolved against this module's package
                base = package.split(".")
                base = base[: len(base) - node.level + (1 if is_init else 0)]
                module = ".".join([*base, module] if module else base)
            if module.split(".")[0] == "cityprofiles":
                yield node.lineno, module, [alias.name for alias in node.names]


def targets(module: str, names: list[str]) -> set[str]:
    """The modules an import really loads: ``from pkg import sub`` is the submodule, and
    a name a stage's ``__init__`` exports lazily is the module it comes from."""
    found = set()
    exported = _typing_imports(MODULES[module]) if MODULES[module].name == "__init__.py" else {}
    for name in names or [""]:
        if f"{module}.{name}" in MODULES:
            found.add(f"{module}.{name}")
        elif name in exported:
            found.add(exported[name])
        else:
            found.add(module)
    return found


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for _, module, names in imports(path):
            assert module in MODULES, f"{path}: imports {module}, which does not exist"
            for target in targets(module, names):
                if target != name and not (
                    path.name == "__init__.py" and target.startswith(name + ".")
                ):
                    edges[name].add(target)
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A cycle in ``edges`` as a path that ends where it starts, or ``None``."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_cycle_finder_finds_a_cycle_and_accepts_a_tree() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_no_module_imports_itself_back_through_others() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_stages_depend_on_each_other_in_one_direction() -> None:
    """Seen as packages (content, model, validate, ...), the imports form no cycle either:
    each stage builds on earlier ones only."""
    stages: dict[str, set[str]] = {}
    for name, targets_of in graph().items():
        stages.setdefault(stage_of(name), set()).update(
            stage_of(t) for t in targets_of if stage_of(t) != stage_of(name)
        )
    cycle = find_cycle(stages)
    assert cycle is None, "stages in a circle: " + " -> ".join(cycle or [])


def test_a_stage_is_used_through_its_public_entry() -> None:
    """Outside a stage, its modules are not imported directly: the stage's ``__init__``
    says what it offers, so its insides can be rearranged freely."""
    offenders = []
    for name, path in MODULES.items():
        for line, module, names in imports(path):
            parts = module.split(".")
            if len(parts) > 2 and parts[1] in STAGES and parts[1] != stage_of(name):
                offenders.append(f"{path.relative_to(PACKAGE)}:{line}: {module} {names}")
    assert offenders == []


def public_names(init: Path) -> dict[str, str]:
    """``name -> module`` of what a stage's ``__init__`` offers: the names it imports under
    ``TYPE_CHECKING`` (lazily, see :func:`cityprofiles.lazy_public_entry`) or at once."""
    names = _typing_imports(init)
    for node in ast.parse(init.read_text("utf-8")).body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cityprofiles."):
            names.update((a.asname or a.name, node.module or "") for a in node.names)
    return names


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_every_public_name_of_a_stage_resolves(stage: str) -> None:
    import importlib

    entry = importlib.import_module(f"cityprofiles.{stage}")
    exported = public_names(MODULES[f"cityprofiles.{stage}"])
    assert sorted(exported) == sorted(getattr(entry, "__all__", exported))
    for name in exported:
        assert getattr(entry, name) is not None


def test_no_public_name_is_also_a_module_of_its_stage() -> None:
    """``cityprofiles.output.sitemap`` the function and the module of that name cannot both
    be an attribute of the package: once the module is imported, it would win."""
    clashes = [
        f"cityprofiles.{stage}.{name}"
        for stage in STAGES
        for name in public_names(MODULES[f"cityprofiles.{stage}"])
        if f"cityprofiles.{stage}.{name}" in MODULES
    ]
    assert clashes == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_longer_than_a_reader_takes_in(name: str) -> None:
    lines = MODULES[name].read_text("utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{name} has {lines} lines; split it by concern"


def functions(path: Path) -> Iterator[tuple[str, int]]:
    """Every function and method of a module with its length in lines."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            yield node.name, node.end_lineno - node.lineno + 1


def test_no_function_is_longer_than_a_screen_without_a_reason() -> None:
    long = {
        f"{name}:{function}": length
        for name, path in MODULES.items()
        for function, length in functions(path)
        if length > MAX_FUNCTION_LINES
    }
    unexplained = {key: length for key, length in long.items() if key not in LONG_FUNCTIONS}
    assert unexplained == {}, "split these, or add them with a reason to LONG_FUNCTIONS"
    stale = sorted(set(LONG_FUNCTIONS) - set(long))
    assert stale == [], "no longer long: remove them from LONG_FUNCTIONS"
