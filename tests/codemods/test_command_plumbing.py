"""The one declaration of a codemod's parameters: its transform's signature.

`source_function(transform)` is the codemod's `apply(source, ...)`; `OrmfixCommand` subclasses take
their command-line options from the same signature (`OPTIONS` only adds the help texts).
"""

from __future__ import annotations

import argparse
import inspect

import libcst as cst
import pytest

from ormfix.codemods._command import source_function
from ormfix.codemods._elide import MIN_ELIDED_LINES
from ormfix.codemods._tool import OrmfixCommand
from ormfix.codemods.add_fk_column import AddFkColumnCommand

SEEN: list[list[str]] = []


def classes_seen(module: cst.Module, class_name: str, type_name: str = "Integer") -> cst.Module:
    """Record the top-level classes the transform was handed (the others were elided)."""
    SEEN.append([s.name.value for s in module.body if isinstance(s, cst.ClassDef)])
    return module


def model_file() -> str:
    columns = "".join(f"    field_{i} = Column(String(20))\n" for i in range(MIN_ELIDED_LINES))
    return (
        "from sqlalchemy import Column, String, TypeDecorator\n\n\n"
        "class Integer(TypeDecorator):\n    impl = String\n\n\n"
        "class Profile(Base):\n    __tablename__ = 'profiles'\n    id = Column(Integer, primary_key=True)\n\n\n"
        f"class Survey(Base):\n    __tablename__ = 'surveys'\n{columns}"
    )


def test_apply_hands_the_elision_step_the_defaults():
    """A default (`type_name="Integer"`) names a class as a value given does: that class is not elided."""
    apply = source_function(classes_seen)
    SEEN.clear()
    assert apply(model_file(), "Profile") == model_file()
    assert SEEN[0] == ["Integer", "Profile"]  # Survey elided, Integer kept
    SEEN.clear()
    assert apply(model_file(), class_name="Profile", type_name="Text") == model_file()
    assert SEEN[0] == ["Profile"]  # no parameter names Integer: elided too


def test_apply_takes_the_transforms_parameters():
    apply = source_function(classes_seen)
    assert list(inspect.signature(apply).parameters) == ["source", "class_name", "type_name"]
    with pytest.raises(TypeError):
        apply(model_file(), "Profile", colour="red")  # type: ignore[call-arg]


def test_options_must_be_transform_parameters():
    with pytest.raises(TypeError, match="classes_seen\\(\\) takes no colour"):

        class _Command(OrmfixCommand, transform=classes_seen):
            OPTIONS = {"class_name": "The class.", "colour": "Not a parameter."}


def test_command_line_options_follow_the_signature():
    """Required without a default, the default otherwise, --flag for False, --not-flag for True."""
    parser = argparse.ArgumentParser(exit_on_error=False)
    AddFkColumnCommand.add_args(parser)
    given = vars(parser.parse_args(["--class-name", "Post", "--column-name", "a_id", "--target", "a.id"]))
    assert given == {
        "class_name": "Post",
        "column_name": "a_id",
        "target": "a.id",
        "type_name": "Integer",
        "type_args": "",
        "type_module": "sqlalchemy",
        "python_type": "int",
        "nullable": True,
        "ondelete": None,
        "index": False,
    }
    flags = vars(
        parser.parse_args(["--class-name", "P", "--column-name", "a", "--target", "t", "--not-nullable", "--index"])
    )
    assert (flags["nullable"], flags["index"]) == (False, True)
    with pytest.raises(SystemExit):
        parser.parse_args(["--column-name", "a_id", "--target", "a.id"])  # --class-name is required
