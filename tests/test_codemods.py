"""Tests of the LibCST codemods in src/ormfix/codemods."""

from __future__ import annotations

import difflib
import importlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

from ormfix.codemods import NotApplicable, add_fk_column, comment_out, foreign_keys  # noqa: E402


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def diff(before: str, after: str) -> tuple[list[str], list[str]]:
    """(removed lines, added lines) between two sources, line endings kept."""
    removed, added = [], []
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


def check(before: str, after: str, removed: list[str], added: list[str]) -> None:
    """Only the expected lines changed and the result compiles."""
    assert diff(before, after) == (removed, added)
    compile(after, "x", "exec")


def configures(tmp_path: Path, name: str, code: str) -> subprocess.CompletedProcess:
    """Import `code` as module `name` in a fresh interpreter and configure the mappers."""
    (tmp_path / f"{name}.py").write_text(code)
    script = f"import {name}; import sqlalchemy.orm as o; o.configure_mappers()"
    return subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60)


def assert_fixes(tmp_path: Path, before: str, after: str, error: str) -> None:
    broken = configures(tmp_path, "models_before", before)
    assert broken.returncode != 0 and error in broken.stderr, broken.stderr
    fixed = configures(tmp_path, "models_after", after)
    assert fixed.returncode == 0, fixed.stderr


# --------------------------------------------------------------------------- comment_out

REASON = "Organization.schools names class 'School', which does not exist (ORM002)."

ORGANIZATION = src(
    """
    from sqlalchemy import Column, Integer
    from sqlalchemy.orm import declarative_base, relationship

    Base = declarative_base()


    class Organization(Base):
        __tablename__ = "organizations"
        id = Column(Integer, primary_key=True)
        # Relationships
        schools = relationship(
            "School",  # no such class
            back_populates="organization",
        )
        users = relationship("User")


    class User(Base):
        __tablename__ = "users"
        id = Column(Integer, primary_key=True)
    """
)


def test_comment_out_multiline_statement_keeps_surroundings():
    after = comment_out.apply(ORGANIZATION, "Organization", "schools", REASON)
    check(
        ORGANIZATION,
        after,
        [
            "    schools = relationship(\n",
            '        "School",  # no such class\n',
            '        back_populates="organization",\n',
            "    )\n",
        ],
        [
            f"    # TODO(ormfix): {REASON}\n",
            "    # schools = relationship(\n",
            '    #     "School",  # no such class\n',
            '    #     back_populates="organization",\n',
            "    # )\n",
        ],
    )
    assert comment_out.apply(after, "Organization", "schools", REASON) == after


def test_comment_out_configures(tmp_path):
    source = ORGANIZATION.replace('    users = relationship("User")\n', "")
    after = comment_out.apply(source, "Organization", "schools", REASON)
    assert_fixes(tmp_path, source, after, "School")


def test_comment_out_last_statement_before_blank_lines_and_next_class():
    before = src(
        """
        class Post(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            author = db.relationship(
                'Author',

                backref='posts',
            )
            # footer comment


        class Other(db.Model):
            pass
        """
    )
    after = comment_out.apply(before, "Post", "author", "bad")
    assert after == src(
        """
        class Post(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            # TODO(ormfix): bad
            # author = db.relationship(
            #     'Author',
            #
            #     backref='posts',
            # )
            # footer comment


        class Other(db.Model):
            pass
        """
    )
    assert comment_out.apply(after, "Post", "author", "bad") == after


def test_comment_out_only_statement_adds_pass_in_mapped_style():
    before = src(
        """
        class Tag(Base):
            parent: Mapped["Parent"] = relationship(back_populates="tags")  # why
        x = 1
        """
    )
    after = comment_out.apply(before, "Tag", "parent", "bad")
    assert after == src(
        """
        class Tag(Base):
            # TODO(ormfix): bad
            # parent: Mapped["Parent"] = relationship(back_populates="tags")  # why
            pass
        x = 1
        """
    )
    compile(after, "x", "exec")
    assert comment_out.apply(after, "Tag", "parent", "bad") == after


def test_comment_out_crlf_and_tabs():
    before = "class A(Base):\r\n\tx = 1\r\n\tb = relationship(\r\n\t\t'B',\r\n\t)\r\n\ty = 2\r\n"
    after = comment_out.apply(before, "A", "b", "bad")
    assert after == (
        "class A(Base):\r\n\tx = 1\r\n\t# TODO(ormfix): bad\r\n\t# b = relationship(\r\n"
        "\t# \t'B',\r\n\t# )\r\n\ty = 2\r\n"
    )
    assert after.count("\n") == after.count("\r\n")


def test_comment_out_latin1_cookie_kept():
    before = "# -*- coding: latin-1 -*-\nclass A(Base):\n    b = relationship('B')  # caf\xe9\n"
    after = comment_out.apply(before, "A", "b", "bad")
    assert after.startswith("# -*- coding: latin-1 -*-\n")
    assert "    # b = relationship('B')  # caf\xe9\n" in after


@pytest.mark.parametrize(
    "class_name, attribute, message",
    [
        ("Nope", "schools", "class Nope not found in this file"),
        ("Organization", "nope", "Organization.nope not found in the class body"),
    ],
)
def test_comment_out_not_applicable(class_name, attribute, message):
    with pytest.raises(NotApplicable, match=message):
        comment_out.apply(ORGANIZATION, class_name, attribute, REASON)


def test_comment_out_cli(tmp_path):
    target = tmp_path / "models.py"
    latin1 = ("# -*- coding: latin-1 -*-\n" + ORGANIZATION + "# caf\xe9\n").encode("latin-1")
    target.write_bytes(latin1)
    command = [
        sys.executable,
        "-m",
        "libcst.tool",
        "codemod",
        "--no-format",
        "--hide-progress",
        "comment_out.CommentOutCommand",
        str(target),
        "--class-name",
        "Organization",
        "--attribute",
        "schools",
        "--reason",
        REASON,
    ]
    run = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    expected = comment_out.apply(latin1.decode("latin-1"), "Organization", "schools", REASON)
    assert target.read_bytes() == expected.encode("latin-1")

    skipped = subprocess.run(
        [*command[:-6], "--class-name", "Nope", "--attribute", "x", "--reason", "r"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "class Nope not found in this file" in skipped.stderr
    assert target.read_bytes() == expected.encode("latin-1")


# --------------------------------------------------------------------------- add_fk_column

FLASK_POST = src(
    """
    from flask_sqlalchemy import SQLAlchemy

    db = SQLAlchemy()


    class Campaign(db.Model):
        __tablename__ = 'campaigns'
        id = db.Column(db.Integer, primary_key=True)


    class Post(db.Model):
        __tablename__ = 'posts'
        id = db.Column(db.Integer, primary_key=True)
        title = db.Column(db.String(80))  # shown in lists

        campaign = db.relationship('Campaign', backref='posts')
    """
)

CLASSIC_POST = src(
    """
    from sqlalchemy import Column, String
    from sqlalchemy.orm import declarative_base, relationship

    Base = declarative_base()


    class Campaign(Base):
        __tablename__ = "campaigns"
        id = Column(String(36), primary_key=True)


    class Post(Base):
        \"\"\"A post.\"\"\"
        __tablename__ = "posts"
        title = Column(String, primary_key=True)
        campaign = relationship(
            "Campaign",  # parent
        )
    """
)

MAPPED_POST = src(
    """
    import uuid

    from sqlalchemy import ForeignKey, Uuid
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


    class Base(DeclarativeBase):
        pass


    class Campaign(Base):
        __tablename__ = "campaigns"
        id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)


    class Post(Base):
        __tablename__ = "posts"
        id: Mapped[int] = mapped_column(primary_key=True)
        campaign: Mapped["Campaign"] = relationship()
    """
)


def test_add_fk_column_flask():
    after = add_fk_column.apply(FLASK_POST, "Post", "campaign_id", "campaigns.id")
    line = "    campaign_id = db.Column(db.Integer, db.ForeignKey('campaigns.id'), nullable=True)\n"
    check(FLASK_POST, after, [], [line])
    assert after.index(line) > after.index("    title = ")
    assert add_fk_column.apply(after, "Post", "campaign_id", "campaigns.id") == after


def test_add_fk_column_flask_dialect_type_imports_it():
    after = add_fk_column.apply(
        FLASK_POST,
        "Post",
        "campaign_id",
        "campaigns.id",
        type_name="UUID",
        type_args="as_uuid=True",
        type_module="sqlalchemy.dialects.postgresql",
        python_type="uuid.UUID",
    )
    check(
        FLASK_POST,
        after,
        [],
        [
            "from sqlalchemy.dialects.postgresql import UUID\n",
            "    campaign_id = db.Column(UUID(as_uuid=True), db.ForeignKey('campaigns.id'), nullable=True)\n",
        ],
    )


def test_add_fk_column_flask_configures(tmp_path):
    after = add_fk_column.apply(FLASK_POST, "Post", "campaign_id", "campaigns.id")
    assert_fixes(tmp_path, FLASK_POST, after, "NoForeignKeysError")


def test_add_fk_column_classic_adds_imports_after_preamble(tmp_path):
    after = add_fk_column.apply(
        CLASSIC_POST,
        "Post",
        "campaign_id",
        "campaigns.id",
        type_name="String",
        type_args="36",
        python_type="str",
    )
    check(
        CLASSIC_POST,
        after,
        ["from sqlalchemy import Column, String\n"],
        [
            "from sqlalchemy import Column, ForeignKey, String\n",
            '    campaign_id = Column(String(36), ForeignKey("campaigns.id"), nullable=True)\n',
        ],
    )
    assert after.index("campaign_id") > after.index("    title = ")
    assert_fixes(tmp_path, CLASSIC_POST, after, "NoForeignKeysError")


def test_add_fk_column_no_columns_goes_after_tablename():
    before = src(
        """
        from sqlalchemy import Column, ForeignKey, Integer


        class Post(Base):
            '''Doc.'''
            __tablename__ = 'posts'

            campaign = relationship('Campaign')
        """
    )
    after = add_fk_column.apply(before, "Post", "campaign_id", "campaigns.id", nullable=False)
    check(before, after, [], ["    campaign_id = Column(Integer, ForeignKey('campaigns.id'), nullable=False)\n"])
    assert after.index("campaign_id") > after.index("__tablename__")


def test_add_fk_column_mapped_uuid(tmp_path):
    after = add_fk_column.apply(
        MAPPED_POST,
        "Post",
        "campaign_id",
        "campaigns.id",
        type_name="Uuid",
        python_type="uuid.UUID",
    )
    check(
        MAPPED_POST,
        after,
        [],
        [
            "from typing import Optional\n",
            "    campaign_id: Mapped[Optional[uuid.UUID]] = "
            'mapped_column(Uuid, ForeignKey("campaigns.id"), nullable=True)\n',
        ],
    )
    assert (
        add_fk_column.apply(after, "Post", "campaign_id", "campaigns.id", type_name="Uuid", python_type="uuid.UUID")
        == after
    )
    assert_fixes(tmp_path, MAPPED_POST, after, "NoForeignKeysError")


def test_add_fk_column_mapped_future_annotations_uses_pipe_none():
    before = "from __future__ import annotations\n" + MAPPED_POST
    after = add_fk_column.apply(before, "Post", "campaign_id", "campaigns.id")
    check(
        before,
        after,
        [],
        ['    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), nullable=True)\n'],
    )


def test_add_fk_column_crlf_and_tabs():
    before = (
        "from sqlalchemy import Column, Integer\r\n\r\nclass Post(Base):\r\n"
        "\tid = Column(Integer, primary_key=True)\r\n\tcampaign = relationship('Campaign')\r\n"
    )
    after = add_fk_column.apply(before, "Post", "campaign_id", "campaigns.id")
    check(
        before,
        after,
        ["from sqlalchemy import Column, Integer\r\n"],
        [
            "from sqlalchemy import Column, ForeignKey, Integer\r\n",
            "\tcampaign_id = Column(Integer, ForeignKey('campaigns.id'), nullable=True)\r\n",
        ],
    )
    assert after.count("\n") == after.count("\r\n")


def test_add_fk_column_existing_column_without_fk_not_applicable():
    after = add_fk_column.apply(FLASK_POST, "Post", "campaign_id", "campaigns.id")
    with pytest.raises(NotApplicable, match="Post.title already exists without a ForeignKey"):
        add_fk_column.apply(after, "Post", "title", "campaigns.id")
    with pytest.raises(NotApplicable, match="class Nope not found"):
        add_fk_column.apply(after, "Nope", "campaign_id", "campaigns.id")


# --------------------------------------------------------------------------- foreign_keys

AMBIGUOUS = src(
    """
    from sqlalchemy import Column, ForeignKey, Integer
    from sqlalchemy.orm import declarative_base, relationship

    Base = declarative_base()


    class Author(Base):
        __tablename__ = "authors"
        id = Column(Integer, primary_key=True)


    class Book(Base):
        __tablename__ = "books"
        id = Column(Integer, primary_key=True)
        author_id = Column(Integer, ForeignKey("authors.id"))
        editor_id = Column(Integer, ForeignKey("authors.id"))
        author = relationship(
            "Author",
            # the writer
            uselist=False,  # one
        )
    """
)


def test_foreign_keys_arg_multiline(tmp_path):
    after = foreign_keys.add_foreign_keys_arg(AMBIGUOUS, "Book", "author", "[author_id]")
    check(AMBIGUOUS, after, [], ["        foreign_keys=[author_id],\n"])
    assert after.index("uselist=False,  # one\n        foreign_keys") > 0
    assert foreign_keys.add_foreign_keys_arg(after, "Book", "author", "[author_id]") == after
    assert_fixes(tmp_path, AMBIGUOUS, after, "AmbiguousForeignKeysError")


def test_foreign_keys_arg_one_line_flask_and_replace():
    before = src(
        """
        class Book(db.Model):
            author = db.relationship('Author', backref='books')
        """
    )
    after = foreign_keys.add_foreign_keys_arg(before, "Book", "author", '"Book.author_id"')
    line = "    author = db.relationship('Author', backref='books', foreign_keys=\"Book.author_id\")\n"
    check(before, after, [before.splitlines(keepends=True)[1]], [line])
    same = foreign_keys.add_foreign_keys_arg(after, "Book", "author", "'Book.author_id'")
    assert same == after
    replaced = foreign_keys.add_foreign_keys_arg(after, "Book", "author", "[Book.editor_id]")
    assert "foreign_keys=[Book.editor_id])" in replaced
    assert foreign_keys.apply(before, class_name="Book", attribute="author", foreign_keys='"Book.author_id"') == after


def test_foreign_keys_arg_mapped_crlf_tabs():
    before = "class Book(Base):\r\n\tauthor: Mapped[Author] = sa.orm.relationship(\r\n\t\t'Author',\r\n\t)\r\n"
    after = foreign_keys.add_foreign_keys_arg(before, "Book", "author", "[Book.author_id]")
    check(before, after, [], ["\t\tforeign_keys=[Book.author_id],\r\n"])


@pytest.mark.parametrize(
    "attribute, message",
    [("author_id", "Book.author_id is not a relationship\\(\\) call"), ("x", "Book.x not found")],
)
def test_foreign_keys_arg_not_applicable(attribute, message):
    with pytest.raises(NotApplicable, match=message):
        foreign_keys.add_foreign_keys_arg(AMBIGUOUS, "Book", attribute, "[x]")


MISSING_FK = src(
    """
    import sqlalchemy as sa
    from sqlalchemy.orm import declarative_base, relationship

    Base = declarative_base()


    class Author(Base):
        __tablename__ = 'authors'
        id = sa.Column(sa.Integer, primary_key=True)


    class Book(Base):
        __tablename__ = 'books'
        id = sa.Column(sa.Integer, primary_key=True)
        author_id = sa.Column(sa.Integer, nullable=True)  # who wrote it
        author = relationship('Author')
    """
)


def test_foreign_key_to_column_module_alias(tmp_path):
    after = foreign_keys.add_foreign_key_to_column(MISSING_FK, "Book", "author_id", "authors.id")
    check(
        MISSING_FK,
        after,
        ["    author_id = sa.Column(sa.Integer, nullable=True)  # who wrote it\n"],
        ["    author_id = sa.Column(sa.Integer, sa.ForeignKey('authors.id'), nullable=True)  # who wrote it\n"],
    )
    assert foreign_keys.add_foreign_key_to_column(after, "Book", "author_id", "authors.id") == after
    assert_fixes(tmp_path, MISSING_FK, after, "NoForeignKeysError")


@pytest.mark.parametrize(
    "column, expected",
    [
        ("db.Column(db.Integer)", 'db.Column(db.Integer, db.ForeignKey("authors.id"))'),
        ("Column(Integer, nullable=True)", 'Column(Integer, ForeignKey("authors.id"), nullable=True)'),
        ("Column('author', Integer)", "Column('author', Integer, ForeignKey(\"authors.id\"))"),
        ("mapped_column()", 'mapped_column(ForeignKey("authors.id"))'),
        ("mapped_column(nullable=True)", 'mapped_column(ForeignKey("authors.id"), nullable=True)'),
        ("mapped_column(Integer)", 'mapped_column(Integer, ForeignKey("authors.id"))'),
    ],
)
def test_foreign_key_to_column_spellings(column, expected):
    before = f'class Book(Base):\n    author_id = {column}\n    title = "t"\n'
    after = foreign_keys.add_foreign_key_to_column(before, "Book", "author_id", "authors.id")
    body = after.split("class Book(Base):\n", 1)[1]
    assert body == f'    author_id = {expected}\n    title = "t"\n'
    if not column.startswith("db."):
        assert after.startswith("from sqlalchemy import ForeignKey\n")
    compile(after, "x", "exec")


def test_foreign_key_to_column_multiline_mapped_with_comments():
    before = src(
        """
        from sqlalchemy import ForeignKey, Integer


        class Book(Base):
            author_id: Mapped[int] = mapped_column(
                Integer,  # the type
                nullable=False,
            )
        """
    )
    after = foreign_keys.add_foreign_key_to_column(before, "Book", "author_id", "authors.id")
    check(before, after, [], ['        ForeignKey("authors.id"),\n'])
    assert "        Integer,  # the type\n        ForeignKey" in after


def test_foreign_key_to_column_not_applicable():
    with pytest.raises(NotApplicable, match="Book.author is not a Column"):
        foreign_keys.add_foreign_key_to_column(MISSING_FK, "Book", "author", "authors.id")


def test_libcst_tool_lists_every_codemod_command_and_not_their_base():
    import pkgutil

    import ormfix.codemods

    run = subprocess.run(
        [sys.executable, "-m", "libcst.tool", "list"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    listed = {line.split(" - ")[0] for line in run.stdout.splitlines() if " - " in line and not line[0].isspace()}
    modules = [info.name for info in pkgutil.iter_modules(ormfix.codemods.__path__) if not info.name.startswith("_")]
    expected = {f"{name}.{importlib.import_module(f'ormfix.codemods.{name}').COMMAND.name}" for name in modules}
    assert len(expected) == 20 and expected <= listed, sorted(expected - listed)
    assert not any("OrmfixCommand" in entry for entry in listed)
