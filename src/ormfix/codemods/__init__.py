"""LibCST codemods used by ormfix to repair broken SQLAlchemy relationship() mappings.

Each module holds one remedy: a LibCST codemod command (for ``python -m libcst.tool
codemod``) and a plain ``apply(source, **params) -> str`` function for the engine.

* ``comment_out``   -- comment out a broken attribute, with a ``# TODO(ormfix)`` note.
* ``add_fk_column`` -- add a foreign-key column in the class's own style.
* ``foreign_keys``  -- add ``foreign_keys=`` to a relationship, or ``ForeignKey()`` to a column.

Modules in this package import each other only relatively: the directory is run as
``codemods`` from the repository root and installed as ``ormfix.codemods``.
"""

from ._errors import NotApplicable

__all__ = ["NotApplicable"]
