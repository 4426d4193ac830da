"""Score ormfix's JSON output against a generated package's manifest (exact code, file and line)."""

from __future__ import annotations

from dataclasses import dataclass, field


def key(item: dict) -> tuple:
    return (item.get("code"), item.get("file"), item.get("line"))


@dataclass
class Accuracy:
    expected: int
    found: int
    missed: list[dict] = field(default_factory=list)  # manifest entries with no exact match
    false_positives: list[dict] = field(default_factory=list)  # diagnoses matching no manifest entry


def score(manifest: list[dict], diagnoses: list[dict]) -> Accuracy:
    truth = {key(entry): entry for entry in manifest}
    seen = {key(d) for d in diagnoses}
    return Accuracy(
        expected=len(truth),
        found=len(seen & truth.keys()),
        missed=[entry for k, entry in truth.items() if k not in seen],
        false_positives=[d for d in diagnoses if key(d) not in truth],
    )


@dataclass
class FixOutcome:
    shown: int = 0  # fixes shown as applicable (with a diff)
    verified: int = 0  # of those, verified
    diagnoses_with_verified_fix: int = 0


def suggest_outcome(diagnoses: list[dict]) -> FixOutcome:
    outcome = FixOutcome()
    for diagnosis in diagnoses:
        shown = [fix for fix in diagnosis.get("fixes", []) if fix.get("diff")]
        outcome.shown += len(shown)
        outcome.verified += sum(1 for fix in shown if fix.get("verified"))
        outcome.diagnoses_with_verified_fix += any(fix.get("verified") for fix in shown)
    return outcome


def short(item: dict) -> str:
    """One line naming a manifest entry or a diagnosis."""
    where = f"{item.get('file')}:{item.get('line')}"
    what = item.get("kind") or (item.get("message") or "")[:120]
    return f"{item.get('code')} {where} {item.get('class') or ''}.{item.get('attribute') or ''} {what}".strip()
