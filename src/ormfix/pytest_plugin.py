"""`pytest --ormfix`: one test item per model package, failing with ormfix's diagnoses when the mappers
do not configure. Registered through the ``pytest11`` entry point; it imports nothing of ormfix until
``--ormfix`` is given.

Settings (pytest ini / pyproject ``[tool.pytest.ini_options]``): ``ormfix_path`` (the project folder,
relative to the rootdir; default: the rootdir) and ``ormfix_models`` (the modules to import, one per
line; default: ``[tool.ormfix] models``, else discovered).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ormfix", "SQLAlchemy mappings (ormfix)")
    group.addoption(
        "--ormfix",
        action="store_true",
        default=False,
        help="Add a test per model package that fails when its SQLAlchemy mappers do not configure.",
    )
    parser.addini("ormfix_path", "The project folder ormfix checks (default: the rootdir).", default="")
    parser.addini("ormfix_models", "Modules with the models, one per line (default: discovered).", type="linelist")


class MappersConfigure(pytest.Item):
    """configure_mappers() passes for the models of one package (probed in a subprocess)."""

    def __init__(self, *, project: Path, module: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.project = project
        self.module = module

    def runtest(self) -> None:
        from ormfix.testing import mapper_failures

        failures = mapper_failures(self.project, [self.module] if self.module else None)
        if failures:
            raise MappersDoNotConfigure(failures)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, MappersDoNotConfigure):
            return str(excinfo.value)
        if excinfo.errisinstance(Exception) and type(excinfo.value).__name__ == "UsageError":
            return f"ormfix: {excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.project, None, f"ormfix: mappers configure ({self.module or 'discovered models'})"


class MappersDoNotConfigure(Exception):
    pass


def _model_packages(project: Path, configured: list[str]) -> list[str | None]:
    if configured:
        return list(configured)
    from ormfix.config import load_settings
    from ormfix.discover import discover
    from ormfix.errors import UsageError

    try:
        settings = load_settings(project)
        return list(settings.models) or list(discover(project, settings).modules) or [None]
    except UsageError:
        return [None]  # the item reports it when it runs


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("ormfix"):
        return
    project = (config.rootpath / str(config.getini("ormfix_path") or ".")).resolve()
    added = [
        MappersConfigure.from_parent(
            session, name=f"ormfix[{module or project.name}]", path=project, project=project, module=module
        )
        for module in _model_packages(project, list(config.getini("ormfix_models")))
    ]
    items[:0] = added
