"""The examples each code module declares in ``EXAMPLES`` (as Fixit's rules carry VALID and INVALID):

    EXAMPLES = {
        "invalid": [{"source": <models.py>, "code": "ORM001", "fixed": {<strategy>: <models.py after its fix>}}],
        "valid": [{"source": <models.py that maps cleanly>}],
    }

A source is a whole ``models.py``: a project of one module. The ``## Example`` of the code's DOC appears in the
first invalid source word for word (the source adds the imports and the base the DOC leaves out)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from types import ModuleType

import ormfix.codes

DOC_EXAMPLE = re.compile(r"## Example\n```python\n(?P<code>.*?)```", re.S)


def code_modules() -> list[ModuleType]:
    names = sorted(m.name for m in pkgutil.iter_modules(ormfix.codes.__path__) if re.match(r"orm\d{3}_", m.name))
    return [importlib.import_module(f"ormfix.codes.{name}") for name in names]


def with_examples() -> list[ModuleType]:
    return [module for module in code_modules() if hasattr(module, "EXAMPLES")]


def doc_example(module: ModuleType) -> str:
    found = DOC_EXAMPLE.search(module.DOC)
    assert found, f"{module.__name__}: DOC has no ## Example python block"
    return found["code"]


def cases(kind: str) -> list[tuple[str, int, dict]]:
    """(code, index, example) for every example of ``kind`` ("invalid" or "valid") of every code module."""
    return [
        (module.CODE.code, number, example)
        for module in with_examples()
        for number, example in enumerate(module.EXAMPLES.get(kind, []))
    ]


def write_project(folder: Path, source: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "models.py").write_text(source, encoding="utf-8")
    return folder
