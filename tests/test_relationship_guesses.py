"""The did-you-mean remedies of ORM017-ORM019 never guess blindly: with no close match they do not apply,
while the diagnosis (and comment-out) stays."""

from __future__ import annotations

import pytest

from ormfix.pipeline import Options, suggest

CASES = [
    # fixture, file, written -> replaced by, code, the strategy that must not apply
    ("orm017_flask_fk_typo", "models/user.py", ("'Post.autor_id'", "'Post.zzz'"), "ORM017", "fix-foreign-keys-arg"),
    ("orm018_flask_secondary_typo", "models/post.py", ("'post_tag'", "'qqq'"), "ORM018", "fix-secondary"),
    # a table that no class maps (the association table): no class to point at
    ("orm018_flask_secondary_typo", "models/post.py", ("'Tag', secondary='post_tag'", "'post_tags'"), "ORM019",
     "target-to-class"),
]


@pytest.mark.parametrize("name, file, edit, code, strategy", CASES)
def test_no_close_match_no_guess(name, file, edit, code, strategy, project_copy):
    root = project_copy(name)
    path = root / file
    text = path.read_text()
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1]))
    report = suggest(root, Options())
    assert [d.code for d in report.diagnoses] == [code], [d.message for d in report.diagnoses]
    fixes = {fix.strategy: fix for fix in report.diagnoses[0].fixes}
    assert fixes[strategy].not_applicable and not fixes[strategy].applies
    assert fixes["comment-out"].applies and fixes["comment-out"].verified
