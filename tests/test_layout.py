"""The tree keeps the data path's shape: no import cycles, each folder imports only from the folders before it,
and the README names only settings that exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from rag.core.settings import PROJECT_ROOT, Settings

# the data path: a folder may import from the folders before it, never after
LAYERS = ["core", "embed", "index", "ingest", "search", "answer", "draft", "evaluation", "pipeline", "api", "cli"]


def _modules() -> dict[str, Path]:
    out = {}
    for top in ("rag", "api"):
        for path in (PROJECT_ROOT / top).rglob("*.py"):
            parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _lazy_submodules(node: ast.Call, package: str) -> set[str]:
    """The submodules a package's `lazy_loader.attach(__name__, submod_attrs={...})` loads on first use."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr == "attach"):
        return set()
    return {f"{package}.{key.value}" for kw in node.keywords
            if kw.arg == "submod_attrs" and isinstance(kw.value, ast.Dict)
            for key in kw.value.keys if isinstance(key, ast.Constant)}


def _imports(path: Path, modules: dict[str, Path], name: str = "") -> set[str]:
    """Every project module `path` imports, at any depth (function-level imports count: they run too, and
    so do a package's lazy exports), except under `if TYPE_CHECKING:` (annotations only)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                found.add(sub if sub in modules else node.module)
        elif isinstance(node, ast.Call):
            found.update(_lazy_submodules(node, name))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m in modules}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, modules, name) - {name} for name, path in modules.items()}


def _layer(module: str) -> str:
    parts = module.split(".")
    return "api" if parts[0] == "api" else (parts[1] if len(parts) > 1 else "rag")


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []

    def dfs(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return [*stack[stack.index(m):], m]
            if m not in state and (found := dfs(m)):
                return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state and (found := dfs(n)):
            return found
    return None


def test_no_import_cycle_between_modules() -> None:
    graph = _graph()
    assert len(graph) > 40  # the walk really found the package
    assert _cycle(graph) is None, " → ".join(_cycle(graph) or [])


def test_folders_import_only_earlier_stages() -> None:
    wrong = []
    for module, deps in _graph().items():
        if module == "rag":
            continue  # the root package holds only its docstring
        here = LAYERS.index(_layer(module))
        wrong += [f"{module} → {d}" for d in deps if LAYERS.index(_layer(d)) > here]
    assert wrong == []


def test_lazy_exports_count_as_imports() -> None:
    assert {"rag.answer.extractive", "rag.answer.base"} <= _graph()["rag.answer"]


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_every_setting_named_in_the_readmes_exists() -> None:
    fields = {f"RAG_{name.upper()}" for name in Settings.model_fields}
    for readme in (PROJECT_ROOT / "README.md", PROJECT_ROOT / "eval" / "README.md"):
        named = set(re.findall(r"RAG_[A-Z0-9_]*[A-Z0-9]", readme.read_text(encoding="utf-8")))
        assert named, readme
        assert named - fields == set(), f"{readme.name} names settings that do not exist"


def test_tests_mirror_the_package() -> None:
    """Each test folder is named after a package folder (or api/eval), so a module's tests are easy to find."""
    folders = {p.name for p in (PROJECT_ROOT / "tests").iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    packages = {p.name for p in (PROJECT_ROOT / "rag").iterdir() if (p / "__init__.py").exists()}
    assert folders - {"api", "eval"} <= packages
