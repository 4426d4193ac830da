"""Map a class on another declarative base: replace its base in the class statement, importing the new one.

Before::

    from models.legacy_base import LegacyBase

    class Invoice(LegacyBase):
        __tablename__ = "invoices"

After ``apply(src, class_name="Invoice", old_base="LegacyBase", new_base="Base",
import_from="models.base", import_name="Base")``::

    from models.legacy_base import LegacyBase
    from models.base import Base

    class Invoice(Base):
        __tablename__ = "invoices"

``old_base``/``new_base`` are dotted names as written (``billing_db.Model`` -> ``db.Model``, importing
``db``). Other bases (mixins) and every other byte stay. Not applicable when the class does not list
``old_base``, or when the module already binds the new name to something else. Running it again
changes nothing.

CLI::

    python -m libcst.tool codemod --no-format use_shared_base.UseSharedBaseCommand models/invoice.py \\
        --class-name Invoice --old-base LegacyBase --new-base Base --import-from models.base --import-name Base
"""

from __future__ import annotations

import libcst as cst

from ._command import Command, source_function
from ._cst import dotted_name, find_class
from ._errors import NotApplicable
from ._imports import add_from_import, bound_names, is_bound


def _assigns(module: cst.Module, name: str) -> bool:
    """Whether a top-level assignment binds ``name``."""
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                targets = (
                    [t.target for t in small.targets]
                    if isinstance(small, cst.Assign)
                    else ([small.target] if isinstance(small, cst.AnnAssign) else [])
                )
                if any(isinstance(t, cst.Name) and t.value == name for t in targets):
                    return True
    return False


def use_shared_base(
    module: cst.Module,
    class_name: str,
    old_base: str,
    new_base: str,
    import_from: str | None = None,
    import_name: str | None = None,
) -> cst.Module:
    """Replace ``old_base`` by ``new_base`` in ``class class_name(...)``, adding
    ``from import_from import import_name`` when given."""
    _, classdef = find_class(module, class_name)
    names = [dotted_name(arg.value) for arg in classdef.bases]
    if new_base in names and old_base not in names:
        return module  # already on the new base: idempotent
    if old_base not in names:
        raise NotApplicable(f"class {class_name} does not list {old_base} as a base")
    if import_from and import_name:
        wanted = f"{import_from}.{import_name}"
        bound = bound_names(module).get(import_name)
        if bound != wanted and (bound is not None or is_bound(module, import_name) or _assigns(module, import_name)):
            raise NotApplicable(f"the module already binds {import_name} to something else")
        module = add_from_import(module, import_from, import_name)
    class_index, classdef = find_class(module, class_name)
    bases = [
        arg.with_changes(value=cst.parse_expression(new_base)) if dotted_name(arg.value) == old_base else arg
        for arg in classdef.bases
    ]
    if module.body[class_index] is not classdef:  # a class defined under an if / try
        return cst.ensure_type(module.deep_replace(classdef, classdef.with_changes(bases=bases)), cst.Module)
    statements = list(module.body)
    statements[class_index] = classdef.with_changes(bases=bases)
    return module.with_changes(body=statements)


apply = source_function(use_shared_base)


COMMAND = Command(
    "UseSharedBaseCommand",
    use_shared_base,
    description="Map a class on another declarative base (replace its base, add the import).",
    options={
        "class_name": "The class to move, e.g. Invoice.",
        "old_base": "Its base as written now, e.g. LegacyBase.",
        "new_base": "The shared base as written, e.g. Base or db.Model.",
        "import_from": "Module to import the new base's name from, e.g. models.base.",
        "import_name": "The name to import, e.g. Base (db for db.Model).",
    },
)
__getattr__, __dir__ = COMMAND.exports(globals())  # the libcst.tool command, made when asked for
