"""The catalog of remedies: every fix strategy declared once, with what the rest of ormfix needs to know about it.

Light on purpose (no LibCST, no remedy or codemod module): ``config`` validates ``strategy`` against it and
``ormfix check`` / ``ormfix codes`` read it without loading a planner. ``ormfix.remedy.planner(name)`` imports the
declared ``module`` (which loads LibCST) when a fix is planned.
"""

from __future__ import annotations

from dataclasses import dataclass

AUTO = "auto"  # not a remedy: per diagnosis, the best verified fix among its code's remedies
AUTO_SUMMARY = (
    "per diagnosis, the best safe verified fix; with `--unsafe-fixes` also unsafe ones, a fix that keeps the "
    "relationship working (a did-you-mean rename, a ForeignKey target) before `comment-out`"
)


@dataclass(frozen=True)
class Remedy:
    name: str  # the strategy name (`--strategy=NAME`, a code's `remedies=`)
    module: str  # the module of ``ormfix.remedy`` whose ``plan(diagnosis, project)`` plans it
    summary: str  # what it does, one line for the docs
    safety: str  # its applicability, as the docs state it ("safe", "unsafe (a guess at intent)", ...)
    keeps_relationship: bool = False  # the relationship still works after the fix (verify round-trips it)
    always_unsafe: bool = False  # unsafe whatever the code: `apply --strategy=auto` without --unsafe-fixes skips it
    automatic: bool = True  # False: `apply --strategy=auto` never writes it (name it with --strategy)
    schema_change: bool = False  # every fix it plans changes the schema (the database needs a migration)

    @property
    def applicability(self) -> str:
        """The docs' applicability column: its safety, and whether it changes the schema."""
        return f"{self.safety}, schema change" if self.schema_change else self.safety


CATALOG: tuple[Remedy, ...] = (
    Remedy(
        "add-fk-column",
        "add_fk_column",
        "adds the missing FK column to the side that holds the key, in the model's own style (`db.Column(db.Integer, "
        "db.ForeignKey('campaigns.id'), nullable=True)`, or `Mapped[Optional[int]] = mapped_column(ForeignKey(...))`), "
        "typed like the referenced primary key (Integer, UUID, String(36)...), with the `ondelete=` and `index=True` "
        "the class's other foreign keys all have; when the relationship's annotation says it is never None "
        '(`Mapped["Campaign"]`), the summary says the column is meant NOT NULL and needs a backfill first (it is added '
        "nullable); restored byte for byte when git's HEAD had it",
        "safe",
        keeps_relationship=True,
        schema_change=True,
    ),
    Remedy(
        "foreign-keys",
        "foreign_keys",
        'adds `foreign_keys="Book.author_id"` where ForeignKeys are ambiguous or a `primaryjoin=` has none, or adds the '
        "missing `ForeignKey(...)` to an existing column; for an ambiguous collection whose child has its own unlinked "
        "many-to-one over one of the columns, names that column and links the pair with `back_populates` on both sides "
        "(no overlap warning follows)",
        "safe when the column name matches the relationship, else unsafe",
        keeps_relationship=True,
    ),
    Remedy(
        "comment-out",
        "comment_out",
        "comments out the whole relationship statement under a `# TODO(ormfix): ...` line saying why, and its "
        "`back_populates` twin if that would now fail",
        "unsafe",
        always_unsafe=True,
    ),
    Remedy(
        "fix-back-populates",
        "fix_back_populates",
        "points `back_populates=` at the relationship of the other class that points back (ORM010, ORM020, ORM021)",
        "safe",
        keeps_relationship=True,
    ),
    Remedy(
        "add-back-populates-twin",
        "add_back_populates_twin",
        "writes the relationship that `back_populates` names on the other class; for ORM015 (`backref=` and "
        "`back_populates=` together) drops the `backref`, and only when the twin already exists",
        "safe",
        keeps_relationship=True,
    ),
    Remedy(
        "backref-to-back-populates",
        "backref_to_back_populates",
        "a `backref=` that collides with the hand-written twin becomes `back_populates=` on both sides (a backref "
        "with options is left alone: they would have to move) (ORM011)",
        "safe",
        keeps_relationship=True,
    ),
    Remedy(
        "lazy-select",
        "lazy_select",
        'replaces `lazy="dynamic"` on a many-to-one (or `uselist=False`) relationship with `lazy="select"` (ORM012)',
        "safe",
        keeps_relationship=True,
    ),
    Remedy(
        "single-parent",
        "single_parent",
        "adds `single_parent=True` to a delete-orphan cascade on the many side, as SQLAlchemy asks (ORM013)",
        "safe",
        keeps_relationship=True,
    ),
    Remedy(
        "remote-side",
        "remote_side",
        "marks the many-to-one side of a self-referential pair with `remote_side=` its primary key (ORM014)",
        "safe",
        keeps_relationship=True,
    ),
    Remedy(
        "link-back-populates",
        "link_back_populates",
        "links two relationships that overlap into one pair, with `back_populates` on both sides (ORM016)",
        "safe",
        keeps_relationship=True,
    ),
    Remedy(
        "overlaps",
        "overlaps",
        'declares an intended overlap with `overlaps="..."`: keeps today\'s behaviour, silences the warning (ORM016)',
        "safe",
        keeps_relationship=True,
    ),
    Remedy(
        "rename-target",
        "rename_target",
        "points a relationship whose target class does not exist at the class the evidence names, ranked and shown in "
        "the summary: a relationship named like its `back_populates`/`backref` pointing back (strongest), the foreign "
        "keys (the only class left), the annotation's shape, the name's similarity; completes the pair with "
        "`back_populates`. Only on strong evidence; a tie gives no rename (ORM002)",
        "unsafe (a guess at intent)",
        keeps_relationship=True,
    ),
    Remedy(
        "fix-fk-target",
        "fix_fk_target",
        "points a misspelled `ForeignKey('table.col')` at the existing table or column it is closest to (ORM030)",
        "unsafe (a guess at intent)",
        keeps_relationship=True,
        schema_change=True,
    ),
    Remedy(
        "add-primary-key",
        "add_primary_key",
        "gives a mapped class without a primary key an integer `id` key column (ORM031)",
        "safe",
        schema_change=True,
    ),
    Remedy(
        "import-model-module",
        "import_model_module",
        "imports a model module nobody imports from its package's `__init__.py`, in the style the `__init__.py` "
        "already uses (ORM034)",
        "safe",
        keeps_relationship=True,
    ),
    Remedy(
        "rename-tablename",
        "rename_tablename",
        "gives the later of two classes sharing a `__tablename__` a table of its own, named from the class (ORM033)",
        "unsafe (a guess at the table's name)",
        schema_change=True,
    ),
    Remedy(
        "add-tablename",
        "add_tablename",
        "gives a declarative class without a table `__tablename__` = the snake_case plural of its name (ORM032)",
        "unsafe (a guess at the table's name)",
        schema_change=True,
    ),
    Remedy(
        "qualify-class-path",
        "qualify_class_path",
        "names a relationship's target by its module-qualified path when two mapped classes share its name, the one "
        "its foreign keys join (ORM035)",
        "safe",
        keeps_relationship=True,
    ),
    Remedy(
        "wrap-in-mapped",
        "wrap_in_mapped",
        "wraps a 2.0 declarative annotation in `Mapped[...]` (ORM036)",
        "safe",
    ),
    Remedy(
        "rename-reserved-attribute",
        "rename_reserved_attribute",
        '`metadata = Column(...)` becomes `metadata_ = Column("metadata", ...)`: the attribute is renamed, the column '
        "name kept (ORM037)",
        "unsafe (code that uses the attribute breaks)",
    ),
    Remedy(
        "fix-foreign-keys-arg",
        "fix_foreign_keys_arg",
        "a `foreign_keys=` that names a missing column names the closest existing ForeignKey column instead (ORM017)",
        "unsafe (a guess at intent)",
        keeps_relationship=True,
    ),
    Remedy(
        "fix-secondary",
        "fix_secondary",
        "a `secondary=` that names a mapped class names its table; one that names a missing table names the closest "
        "association table (ORM018)",
        "safe for a mapped class's table, else unsafe (a guess)",
        keeps_relationship=True,
    ),
    Remedy(
        "target-to-class",
        "target_to_class",
        '`relationship("posts")` names a table: points it at the class mapped to that table (ORM019)',
        "safe",
        keeps_relationship=True,
    ),
    Remedy(
        "post-update",
        "post_update",
        "adds `post_update=True` to the many-to-one side of a flush cycle (ORM023), as SQLAlchemy's docs do; not "
        "offered when its foreign key is NOT NULL; never written by `apply --strategy=auto` (name "
        "`--strategy=post-update`)",
        "safe",
        keeps_relationship=True,
        automatic=False,
    ),
    Remedy(
        "add-parent-fk",
        "add_parent_fk",
        "adds `ForeignKey('<parent table>.<key>')` to a joined-inheritance subclass's primary key, or adds that key "
        "column (typed like the parent's key, in the class's style) when it has none (ORM042)",
        "safe",
        schema_change=True,
    ),
    Remedy(
        "rename-subclass-attribute",
        "rename_subclass_attribute",
        "renames a subclass column that clashes with a parent column, keeping its column name: "
        '`manager_name = Column("name", ...)` (ORM043)',
        "unsafe",
    ),
    Remedy(
        "remove-trailing-comma",
        "remove_trailing_comma",
        "deletes the comma that made `name = Column(...),` a tuple; every other byte stays (ORM044)",
        "safe",
        schema_change=True,
    ),
    Remedy(
        "annotate-foreign",
        "annotate_foreign",
        "wraps the referencing column of a `primaryjoin=` in `foreign()`: inside a string "
        '(`"and_(Post.id == foreign(Comment.post_id), ...)"`), or in a lambda/expression plus `from sqlalchemy.orm '
        "import foreign`; the referencing column is the one that is not a primary key (else a `Mapped[list[...]]` "
        "annotation decides; otherwise it does not apply)",
        "safe",
        keeps_relationship=True,
    ),
    Remedy(
        "use-shared-base",
        "use_shared_base",
        "maps a class found on a second declarative base (or a second Flask-SQLAlchemy `db`) on the base the "
        "relationship's owner uses: `class Invoice(Base):` plus the import; only when unambiguous",
        "safe",
    ),
    Remedy(
        "wrap-in-declared-attr",
        "wrap_in_declared_attr",
        "turns a mixin's plain `relationship()` into a `@declared_attr` method returning it "
        '(`def tags(cls) -> Mapped[list["Tag"]]:` in the 2.0 style), adding the import',
        "safe",
    ),
    Remedy(
        "use-existing-column",
        "use_existing_column",
        "a single-table subclass column the shared table already has (ORM045) reuses it: `use_existing_column=True` "
        "on a `mapped_column()`; a `Column()` / `db.Column()` becomes SQLAlchemy's `@declared_attr` recipe returning "
        '`Parent.__table__.c.get("name", Column(...))`',
        "safe when every declaration has the same type, else unsafe",
    ),
    Remedy(
        "add-column-type",
        "add_column_type",
        "passes `JSON` to a `Mapped[dict]` / `Mapped[list[...]]` / `Mapped[Any]` column SQLAlchemy has no type for "
        "(`= mapped_column(JSON)` for a bare annotation), importing it (ORM036); other Python types: no guess",
        "unsafe (a choice of database type)",
    ),
    Remedy(
        "dataclass-kw-only",
        "dataclass_kw_only",
        "`class Note(Base, kw_only=True)`: a mapped dataclass's fields become keyword-only, so a field without a "
        "default may follow one with a default (ORM046)",
        "unsafe (the constructor changes)",
    ),
    Remedy(
        "dataclass-init-false",
        "dataclass_init_false",
        "`init=False` on each field without a default that follows one with a default (ORM046)",
        "unsafe (the constructor changes)",
    ),
    Remedy(
        "dataclass-default",
        "dataclass_default",
        "`default=None` on each field without a default that follows one with a default (ORM046)",
        "unsafe (the constructor changes)",
    ),
    Remedy(
        "polymorphic-abstract",
        "polymorphic_abstract",
        '`__mapper_args__ = {"polymorphic_abstract": True}` (or that entry added to the class\'s dict) for an '
        "intermediate class without an identity that has mapped subclasses (ORM047)",
        "safe",
    ),
    Remedy(
        "polymorphic-identity",
        "polymorphic_identity",
        '`"polymorphic_identity": "engineer"` (the class name in snake case) for a subclass without one (ORM047)',
        "unsafe (a value stored in the database)",
    ),
)

BY_NAME: dict[str, Remedy] = {remedy.name: remedy for remedy in CATALOG}
NAMES: tuple[str, ...] = tuple(BY_NAME)
KEEPS_RELATIONSHIP = frozenset(r.name for r in CATALOG if r.keeps_relationship)
ALWAYS_UNSAFE = frozenset(r.name for r in CATALOG if r.always_unsafe)
NEVER_AUTOMATIC = frozenset(r.name for r in CATALOG if not r.automatic)


def strategy_of(module_name: str) -> str:
    """The strategy a remedy module plans, from its ``__name__`` (``ormfix.remedy.add_fk_column`` ->
    ``add-fk-column``): what each remedy module passes as its ``STRATEGY``."""
    short = module_name.rpartition(".")[2]
    found = [remedy.name for remedy in CATALOG if remedy.module == short]
    if len(found) != 1:
        raise LookupError(f"ormfix.remedies: {len(found)} catalog entries are planned by {module_name}")
    return found[0]
