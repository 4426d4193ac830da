"""The registry of diagnosis codes: one module per code, each with its doc, matcher and remedies."""

from __future__ import annotations

import difflib

from ..index import ProjectIndex
from ..probe.events import ProbeEvent
from . import (
    orm000_sqlalchemy_error,
    orm001_no_foreign_keys,
    orm002_unresolved_target,
    orm003_ambiguous_foreign_keys,
    orm004_import_failure,
    orm010_back_populates_missing,
    orm011_backref_collision,
    orm012_dynamic_many_to_one,
    orm013_delete_orphan_many_side,
    orm014_remote_side_needed,
    orm015_backref_and_back_populates,
    orm016_overlapping_relationships,
    orm017_foreign_keys_unknown_column,
    orm018_secondary_missing,
    orm019_target_is_a_table,
    orm020_back_populates_not_relationship,
    orm021_back_populates_mismatch,
    orm022_primaryjoin_no_foreign_columns,
    orm023_circular_dependency_post_update,
    orm030_fk_target_missing,
    orm031_no_primary_key,
    orm032_no_tablename,
    orm033_duplicate_tablename,
    orm034_module_not_imported,
    orm035_duplicate_class_name,
    orm036_mapped_annotation,
    orm037_reserved_attribute,
    orm038_second_declarative_base,
    orm039_mixin_relationship,
    orm042_inheritance_no_parent_fk,
    orm043_inheritance_column_clash,
    orm044_column_is_a_tuple,
    orm045_single_table_column_conflict,
    orm046_dataclass_field_order,
    orm047_polymorphic_identity_missing,
    orm048_constraint_column_missing,
    orm090_unused_suppression,
)
from .base import Code, Explanation

ALL: list[Code] = [
    orm030_fk_target_missing.CODE,  # before ORM001: a misspelled ForeignKey target is the cause
    orm031_no_primary_key.CODE,
    orm032_no_tablename.CODE,
    orm033_duplicate_tablename.CODE,
    orm034_module_not_imported.CODE,
    orm035_duplicate_class_name.CODE,
    orm036_mapped_annotation.CODE,
    orm037_reserved_attribute.CODE,
    orm042_inheritance_no_parent_fk.CODE,  # before ORM001: also a NoForeignKeysError
    orm043_inheritance_column_clash.CODE,
    orm044_column_is_a_tuple.CODE,
    orm045_single_table_column_conflict.CODE,
    orm046_dataclass_field_order.CODE,
    orm047_polymorphic_identity_missing.CODE,
    orm048_constraint_column_missing.CODE,
    orm038_second_declarative_base.CODE,  # before ORM002: the class exists, on another declarative base
    orm039_mixin_relationship.CODE,
    orm010_back_populates_missing.CODE,  # ORM010-ORM029: relationship-pair errors, specific matchers
    orm011_backref_collision.CODE,
    orm012_dynamic_many_to_one.CODE,
    orm013_delete_orphan_many_side.CODE,
    orm014_remote_side_needed.CODE,
    orm015_backref_and_back_populates.CODE,
    orm016_overlapping_relationships.CODE,
    orm017_foreign_keys_unknown_column.CODE,
    orm018_secondary_missing.CODE,  # before ORM002: a misspelled secondary also "failed to locate a name"
    orm019_target_is_a_table.CODE,
    orm020_back_populates_not_relationship.CODE,
    orm021_back_populates_mismatch.CODE,
    orm022_primaryjoin_no_foreign_columns.CODE,
    orm023_circular_dependency_post_update.CODE,
    orm001_no_foreign_keys.CODE,
    orm002_unresolved_target.CODE,
    orm003_ambiguous_foreign_keys.CODE,
    orm004_import_failure.CODE,
    orm000_sqlalchemy_error.CODE,
    orm090_unused_suppression.CODE,  # made from the comments (suppress.py), never from a probe event
]
BY_CODE = {code.code: code for code in ALL}
BY_NAME = {code.name: code for code in ALL}
IMPORT_FAILURE = orm004_import_failure.CODE
FALLBACK = orm000_sqlalchemy_error.CODE
UNUSED_SUPPRESSION = orm090_unused_suppression.CODE


def lookup(text: str) -> Code | None:
    """A code by its number (ORM001, orm1) or its name (no-foreign-keys)."""
    key = text.strip()
    if key.lower() in BY_NAME:
        return BY_NAME[key.lower()]
    upper = key.upper()
    if upper.startswith("ORM") and upper[3:].isdigit():
        upper = f"ORM{int(upper[3:]):03d}"
    return BY_CODE.get(upper)


def unknown_pattern(pattern: str) -> str | None:
    """None when ``pattern`` names a code, a name or a prefix of codes (ORM00); else a one-line reason with a
    did-you-mean."""
    text = pattern.strip()
    if text.lower() in BY_NAME or any(code.code.startswith(text.upper()) for code in ALL):
        return None
    words = [code.code for code in ALL] + [code.name for code in ALL]
    close = difflib.get_close_matches(text.upper() if text.upper().startswith("ORM") else text.lower(), words, n=1)
    hint = f" (did you mean {close[0]}?)" if close else " (`ormfix codes` lists them)"
    return f"unknown code {text!r}{hint}"


def check_patterns(patterns: list[str], where: str) -> list[str]:
    """``patterns`` unchanged when each names a code (see unknown_pattern); else a usage error naming ``where``."""
    from ..errors import UsageError  # errors imports nothing; here to keep this module's imports the codes'

    for pattern in patterns:
        reason = unknown_pattern(pattern)
        if reason is not None:
            raise UsageError(f"{where}: {reason}")
    return patterns


def classify(event: ProbeEvent, index: ProjectIndex | None = None) -> Code:
    """The code for a configure-time error or warning from the probe (``index``: the static index)."""
    for code in ALL:
        if (
            code is not FALLBACK
            and code is not IMPORT_FAILURE
            and code.matches(event)
            and (code.matches_index is None or (index is not None and code.matches_index(event, index)))
        ):
            return code
    return FALLBACK


__all__ = [
    "ALL",
    "BY_CODE",
    "Code",
    "Explanation",
    "FALLBACK",
    "IMPORT_FAILURE",
    "UNUSED_SUPPRESSION",
    "check_patterns",
    "classify",
    "lookup",
    "unknown_pattern",
]
