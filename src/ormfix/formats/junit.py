"""``--format junit``: JUnit XML for CI test reports (Jenkins, GitLab, Azure, ...).

One test case per code checked (the codes select / ignore leave), failing with its diagnoses, plus
one "mappers configure" test case, failing when configure_mappers() fails (suppressed errors
included). No time attributes: two runs on one tree print the same bytes.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from .. import codes
from ..findings import Diagnosis
from ..report import Report
from ..suppress import Filters, matches
from .text import where

SUITE = "ormfix"


def checked_codes(filters: Filters) -> list[codes.Code]:
    """The codes a run reports (select / ignore applied; per-file and inline suppression are per place)."""
    return [
        code
        for code in sorted(codes.ALL, key=lambda c: c.code)
        if (not filters.select or _named(code, filters.select)) and not _named(code, filters.ignore)
    ]


def _named(code: codes.Code, patterns: list[str]) -> bool:
    probe = Diagnosis(code=code.code, name=code.name, severity=code.severity, message="", file=None, line=None)
    return matches(probe, patterns)


def _failure(case: ET.Element, diagnoses: list[Diagnosis]) -> None:
    first = diagnoses[0]
    failure = ET.SubElement(case, "failure", message=f"{len(diagnoses)} x {first.code} {first.name}", type=first.code)
    failure.text = "\n".join(f"{where(d)}: {d.code} [{d.severity}] {d.message}" for d in diagnoses) + "\n"


def to_junit(report: Report, diagnoses: list[Diagnosis], command: str = "check") -> str:
    """``diagnoses``: what the run reports (after ``apply``: what is left, and the mappers as they are then)."""
    by_code: dict[str, list[Diagnosis]] = {}
    for diagnosis in diagnoses:
        by_code.setdefault(diagnosis.code, []).append(diagnosis)
    checked = checked_codes(report.filters)
    suite = ET.Element("testsuite", name=SUITE)
    cases = 0
    failures = 0
    for code in checked:
        case = ET.SubElement(suite, "testcase", classname=f"{SUITE}.codes", name=f"{code.code} {code.name}")
        cases += 1
        if code.code in by_code:
            _failure(case, by_code[code.code])
            failures += 1
    configure = ET.SubElement(suite, "testcase", classname=SUITE, name="mappers configure")
    cases += 1
    hidden = report.suppressed_left if command == "apply" else report.suppressed
    errors = [d for d in [*diagnoses, *hidden] if d.severity == "error"]
    if errors or (command != "apply" and not report.probe.clean):
        failures += 1
        failure = ET.SubElement(
            configure,
            "failure",
            type="configure_mappers",
            message="configure_mappers() fails" if errors else f"probe: {report.probe.status}",
        )
        failure.text = "".join(f"{where(d)}: {d.code} {d.message}\n" for d in errors) or None
    suite.set("tests", str(cases))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    root = ET.Element("testsuites", name=SUITE, tests=str(cases), failures=str(failures), errors="0")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
