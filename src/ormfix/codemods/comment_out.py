"""Comment out a broken mapped attribute, leaving a ``# TODO(ormfix)`` note above it.

Before::

    class Organization(Base):
        # Relationships
        schools = relationship(
            "School",
            back_populates="organization",
        )
        users = relationship("User")

After ``apply(src, class_name="Organization", attribute="schools",
reason="Organization.schools names class 'School', which does not exist (ORM002).")``::

    class Organization(Base):
        # Relationships
        # TODO(ormfix): Organization.schools names class 'School', which does not exist (ORM002).
        # schools = relationship(
        #     "School",
        #     back_populates="organization",
        # )
        users = relationship("User")

If that leaves the class body empty, ``pass`` follows the comments. Running it again
on its own output changes nothing.

CLI::

    python -m libcst.tool codemod comment_out.CommentOutCommand models.py \\
        --class-name Organization --attribute schools --reason "..."
"""

from __future__ import annotations

import re

import libcst as cst

from ._command import Command, source_function
from ._cst import class_body, find_all, find_attribute, find_class, leading_lines, replace_statement
from ._errors import NotApplicable

TODO_PREFIX = "# TODO(ormfix):"


def _comment_line(text: str) -> cst.EmptyLine:
    return cst.EmptyLine(indent=True, comment=cst.Comment(text))


def _commented_lines(module: cst.Module, statement: cst.SimpleStatementLine | cst.FunctionDef) -> list[str]:
    """The statement's source lines, relative to the class body indentation."""
    code = module.code_for_node(statement.with_changes(leading_lines=[]))
    lines = re.split(r"\r\n|\r|\n", code)
    if lines and lines[-1] == "":
        lines.pop()
    return ["# " + line if line.strip() else "#" for line in lines]


def _already_commented(classdef: cst.ClassDef | cst.Module, attribute: str) -> bool:
    """Whether the class holds a TODO(ormfix) note followed by `# attribute = ...`."""
    pattern = re.compile(rf"#\s*({re.escape(attribute)}\s*[:=]|@)")
    comments = [node.value for node in find_all(classdef, cst.Comment)]
    return any(first.startswith(TODO_PREFIX) and pattern.match(second) for first, second in zip(comments, comments[1:]))


def comment_out(module: cst.Module, class_name: str, attribute: str, reason: str) -> cst.Module:
    """The module with `class_name.attribute`'s statement commented out."""
    class_index, classdef = find_class(module, class_name)
    found = find_attribute(classdef, attribute, module)
    if found is None:
        if _already_commented(classdef, attribute) or _already_commented(module, f"{class_name}.{attribute}"):
            return module
        raise NotApplicable(f"{class_name}.{attribute} not found in the class body")
    statement = found.statement
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) != 1:
        raise NotApplicable(f"{class_name}.{attribute} shares its line with other statements")

    note = " ".join(reason.split())
    new_lines = [
        *statement.leading_lines,
        _comment_line(f"{TODO_PREFIX} {note}"),
        *(_comment_line(text) for text in _commented_lines(module, statement)),
    ]
    if found.in_module:  # `Cls.attribute = ...` below the class: the comments take its place there
        return _comment_out_in_module(module, found.index, new_lines)
    block = class_body(classdef)
    body = list(block.body)
    index = found.index
    if index + 1 < len(body):
        following = body[index + 1]
        body[index + 1] = following.with_changes(leading_lines=[*new_lines, *leading_lines(following)])
        del body[index]
        return replace_statement(module, class_index, classdef, body)
    del body[index]
    if body:
        return replace_statement(module, class_index, classdef, body, footer=[*new_lines, *block.footer])
    placeholder = cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=new_lines)
    return replace_statement(module, class_index, classdef, [placeholder])


def _comment_out_in_module(module: cst.Module, index: int, new_lines: list) -> cst.Module:
    body = list(module.body)
    del body[index]
    if index < len(body):
        body[index] = body[index].with_changes(leading_lines=[*new_lines, *leading_lines(body[index])])
        return module.with_changes(body=body)
    return module.with_changes(body=body, footer=[*new_lines, *module.footer])


apply = source_function(comment_out)


COMMAND = Command(
    "CommentOutCommand",
    comment_out,
    description="Comment out a mapped attribute of a class, with a TODO(ormfix) note.",
    options={
        "class_name": "Mapped class name.",
        "attribute": "Attribute to comment out.",
        "reason": "Text of the TODO note.",
    },
)
__getattr__, __dir__ = COMMAND.exports(globals())  # the libcst.tool command, made when asked for
