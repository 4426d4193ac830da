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

import libcst as cst

from ._command import Command, source_function
from ._imports import add_from_import, is_bound


def import_model_module(module: cst.Module, from_module: str, name: str) -> cst.Module:
    """The module with `from <from_module> import <name>` among its imports."""
    if is_bound(module, name):
        return module
    return add_from_import(module, from_module, name)


apply = source_function(import_model_module)


COMMAND = Command(
    "ImportModelModuleCommand",
    import_model_module,
    description="Import a model module (or a class from it) in a package __init__.py.",
    options={
        "from_module": "models.invoice, .invoice or '.'.",
        "name": "Invoice (or the module name with '.').",
    },
)
__getattr__, __dir__ = COMMAND.exports(globals())  # the libcst.tool command, made when asked for
