"""Import a model module from a package ``__init__.py``, so its classes get mapped.

Before (``models/__init__.py``)::

    from models.user import User

After ``apply(src, from_module="models.invoice", name="Invoice")``::

    from models.user import User
    from models.invoice import Invoice

``from_module`` may be relative (``".invoice"``, or ``"."`` with ``name="invoice"`` for
``from . import invoice``). An existing ``from models.invoice import ...`` line is extended.
Nothing changes when ``name`` is already bound in the module.

CLI::

    python -m libcst.tool codemod import_model_module.ImportModelModuleCommand models/__init__.py \\
        --from-module models.invoice --name Invoice
"""

from __future__ import annotations

import argparse
from typing import Any

import libcst as cst

from ._command import OrmfixCommand, apply_transform
from ._imports import add_from_import, is_bound


def import_model_module(module: cst.Module, from_module: str, name: str) -> cst.Module:
    """The module with `from <from_module> import <name>` among its imports."""
    if is_bound(module, name):
        return module
    return add_from_import(module, from_module, name)


def apply(source: str, from_module: str, name: str) -> str:
    """Add `from <from_module> import <name>` to `source` (a package's __init__.py)."""
    return apply_transform(import_model_module, source, from_module=from_module, name=name)


class ImportModelModuleCommand(OrmfixCommand):
    DESCRIPTION = "Import a model module (or a class from it) in a package __init__.py."
    PARAMS = ("from_module", "name")

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument("--from-module", required=True, help="models.invoice, .invoice or '.'.")
        arg_parser.add_argument("--name", required=True, help="Invoice (or the module name with '.').")

    def transform(self, tree: cst.Module, **params: Any) -> cst.Module:
        return import_model_module(tree, **params)
