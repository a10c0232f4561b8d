"""cityprofiles: a static-site generator for bilingual profiles of cities' international work.

The pipeline is visible in the folder list, one package per stage: ``content`` (files
to data with source positions) -> ``validate`` (data to the typed ``model``) -> ``render``
(Jinja2, one environment per language, with ``i18n``) -> ``output`` (the atomic write,
sitemap, open data, search index), run by ``pipeline`` with its ``cache``, and driven by
``cli``, ``server`` (the live preview) and ``scaffold``. docs/architecture.md draws it.

Each stage's ``__init__`` is its public entry: other stages import from there, never from
its modules. The names are imported when first used (:func:`lazy_public_entry`), so
``--help`` and a build with nothing to do stay fast.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

__version__ = "0.1.0"


def lazy_public_entry(package: str) -> Callable[[str], object]:
    """The module ``__getattr__`` (PEP 562) of a stage package: each public name is
    imported from its module when first used. The names and their modules are the ones
    the package imports under ``if TYPE_CHECKING:``, which is also what type checkers and
    editors see; they are read from its source once (without the source, every module of
    the package is searched)."""
    modules: dict[str, str] = {}

    def __getattr__(name: str) -> object:
        entry = sys.modules[package]
        if not modules:
            from pathlib import Path

            modules.update(_typing_imports(Path(entry.__file__ or "")))
        found = modules.get(name)
        if found is not None:
            value = getattr(importlib.import_module(found), name)
        else:
            value = _search(package, name)
        setattr(entry, name, value)  # found directly from now on
        return value

    return __getattr__


def _typing_imports(init: Path) -> dict[str, str]:
    """``name -> module`` of the ``from … import …`` statements under ``if TYPE_CHECKING:``."""
    import ast

    try:
        tree = ast.parse(init.read_text("utf-8"))
    except OSError:
        return {}
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.module:
                    found.update((a.asname or a.name, statement.module) for a in statement.names)
    return found


def _search(package: str, name: str) -> object:
    import pkgutil

    public = getattr(sys.modules[package], "__all__", ())
    if name in public:
        for info in pkgutil.iter_modules(sys.modules[package].__path__, package + "."):
            module = importlib.import_module(info.name)
            if hasattr(module, name):
                return getattr(module, name)
    raise AttributeError(f"module {package!r} has no attribute {name!r}")
