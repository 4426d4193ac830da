"""class_options on real source text: a class keyword, a column keyword, a __mapper_args__ entry; each
idempotent, layout and comments kept, a conflicting value refused."""

from __future__ import annotations

import pytest

from ormfix.codemods import NotApplicable, class_options

SOURCE = '''class Note(Base):
    """A note."""
    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    body: Mapped[str] = mapped_column(String(1000))


class Engineer(Staff):
    __mapper_args__ = {
        "polymorphic_identity": "engineer",  # kept on its line
    }


class Intern(Staff):
    school = Column(String(50))
'''


def test_class_keyword_column_keyword_and_mapper_arg():
    after = class_options.apply(SOURCE, class_name="Note", keyword="kw_only", value="True")
    assert "class Note(Base, kw_only=True):" in after
    after = class_options.apply(after, class_name="Note", keyword="init", value="False", attribute="body")
    assert "body: Mapped[str] = mapped_column(String(1000), init=False)" in after
    after = class_options.apply(
        after, class_name="Engineer", keyword="polymorphic_abstract", value="True", mapper_arg=True
    )
    assert (
        '        "polymorphic_identity": "engineer",  # kept on its line\n        "polymorphic_abstract": True,\n    }'
    ) in after
    after = class_options.apply(
        after, class_name="Intern", keyword="polymorphic_identity", value="'intern'", mapper_arg=True
    )
    assert 'class Intern(Staff):\n    __mapper_args__ = {"polymorphic_identity": "intern"}\n    school =' in after
    for kwargs in (
        {"class_name": "Note", "keyword": "kw_only", "value": "True"},
        {"class_name": "Intern", "keyword": "polymorphic_identity", "value": "'intern'", "mapper_arg": True},
    ):
        assert class_options.apply(after, **kwargs) == after  # idempotent
    with pytest.raises(NotApplicable):
        class_options.apply(
            after, class_name="Engineer", keyword="polymorphic_identity", value="'other'", mapper_arg=True
        )
