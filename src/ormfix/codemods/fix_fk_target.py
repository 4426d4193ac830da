"""Correct the ``'table.column'`` target of a column's ``ForeignKey``.

Before::

    class Post(db.Model):
        campaign_id = db.Column(db.Integer, db.ForeignKey('campaign.id'))

After ``apply(src, class_name="Post", column_name="campaign_id", old_target="campaign.id",
new_target="campaigns.id")``::

    class Post(db.Model):
        campaign_id = db.Column(db.Integer, db.ForeignKey('campaigns.id'))

SQLModel's ``Field(foreign_key="campaign.id")`` is corrected the same way. The string keeps its quotes. Running it again on its own output changes nothing.

CLI::

    python -m libcst.tool codemod fix_fk_target.FixFkTargetCommand models.py \\
        --class-name Post --column-name campaign_id --old-target campaign.id --new-target campaigns.id
"""

from __future__ import annotations

import libcst as cst

from ._command import Command, source_function
from ._cst import find_class, foreign_key_calls, has_foreign_key_to, require_call, requoted, string_value
from ._errors import NotApplicable


def fix_fk_target(
    module: cst.Module, class_name: str, column_name: str, old_target: str, new_target: str
) -> cst.Module:
    """The module with class_name.column_name's ForeignKey(old_target) pointing at new_target."""
    _, classdef = find_class(module, class_name)
    found, call = require_call(
        classdef, column_name, ("Column", "mapped_column", "Field"), "Column()/mapped_column()/Field()"
    )
    literals = [fk.args[0].value for fk in foreign_key_calls(call) if fk.args]
    literals += [arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == "foreign_key"]
    for literal in literals:  # ForeignKey("t.c"), or SQLModel's Field(foreign_key="t.c")
        if string_value(literal) == old_target:
            return cst.ensure_type(module.deep_replace(literal, requoted(literal, new_target)), cst.Module)
    if has_foreign_key_to(found.statement, new_target):
        return module
    raise NotApplicable(f"{class_name}.{column_name} has no ForeignKey({old_target!r})")


apply = source_function(fix_fk_target)


COMMAND = Command(
    "FixFkTargetCommand",
    fix_fk_target,
    description="Correct the 'table.column' target of a column's ForeignKey.",
    options={
        "class_name": "Mapped class name.",
        "column_name": "Column holding the ForeignKey.",
        "old_target": "Target as written, e.g. campaign.id.",
        "new_target": "Existing target, e.g. campaigns.id.",
    },
)
__getattr__, __dir__ = COMMAND.exports(globals())  # the libcst.tool command, made when asked for
