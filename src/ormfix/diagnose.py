"""Turn what the probe saw (errors, warnings, import failures) into diagnoses at file:line."""

from __future__ import annotations

import re
from pathlib import Path

from . import codes, folds
from .codes.base import Code, Explanation
from .discover import Project
from .errors import UsageError
from .findings import Diagnosis, ErrorSource, Severity
from .index import ClassInfo, enclosing_loop_line
from .places import place
from .probe.events import Frame, ProbeEvent
from .probe.runner import ProbeResult

_REL_IN_WARNING = re.compile(r"relationship '(?P<cls>\w+)\.(?P<attr>\w+)'")


def diagnose(project: Project, result: ProbeResult) -> list[Diagnosis]:
    if result.status == "no-python":
        raise UsageError(result.detail)
    if result.status == "no-sqlalchemy":
        raise UsageError(
            f"{project.python} ({project.python_reason or 'given'}) cannot import SQLAlchemy "
            f"({result.detail}); install it there, or name the project's interpreter with --python "
            "or [tool.ormfix] python"
        )
    too_old = _needs_newer_sqlalchemy(project, result)
    if too_old is not None:
        return [too_old]  # every other import failure follows from it
    found: list[Diagnosis] = []
    if result.status in ("timeout", "died", "crashed"):
        found.append(_probe_failure(project, result))
    seen: list[Diagnosis] = []  # every import-time diagnosis, also those folded into one at the same line
    for event in result.import_errors:
        event = {**event, "phase": "import"}
        diagnosis = _import_failure(project, event)
        if folds.skipped_class_import(event, seen, project):
            seen.append(diagnosis)  # a class statement it stopped is a knock-on too (its name fails later)
            continue  # `from m import Tag` after Tag's class statement raised: that diagnosis is the cause
        seen.append(diagnosis)
        if not any(d.file == diagnosis.file and d.line == diagnosis.line for d in found):
            found.append(diagnosis)
    failed_files = {d.file for d in found} | {
        cls.file
        for d in seen
        if (name := folds.unbuilt_class(d)) and (cls := project.index.find_class(name)) is not None
    }
    # relationships reported so far -> error type (a pair failing on both sides counts once)
    failed = folds.left_out_relationships(seen)
    for event in result.errors:
        if folds.twin_of_failed(event, failed):
            continue  # its back_populates partner failed first: one root cause, one diagnosis
        failed[(event.get("class"), event.get("attribute"))] = event.get("type")
        if folds.target_failed_to_build(project, event, found):
            continue  # "Class X is not mapped": X's class statement raised, and that is the diagnosis
        diagnosis = _configure_error(project, event)
        if (
            folds.target_in_failed_module(project, diagnosis, failed_files)
            or folds.same_root(diagnosis, found)
            or folds.same_statement(diagnosis, found)
            or folds.fk_into_explained_table(project, diagnosis, found)
        ):
            continue
        found.append(diagnosis)
    for event in result.warnings:
        if not event.get("module", "").startswith("sqlalchemy") or folds.is_deprecation(event):
            continue  # deprecations (MovedIn20Warning, ...) are about the API, not the mapping
        diagnosis = _warning(project, event)
        if folds.inside_failed_class(diagnosis, found):
            continue  # a warning from a class statement that raised: the error is the diagnosis
        if not any(d.key == diagnosis.key and d.message == diagnosis.message for d in found):
            found.append(diagnosis)
    for diagnosis in found:  # folded on statement lines; now the construct that is wrong
        place(project, diagnosis)
    return found


# names a project written for SQLAlchemy 2.0 imports that 1.4 does not have
_SQLALCHEMY_20_NAMES = {
    "DeclarativeBase",
    "DeclarativeBaseNoMeta",
    "MappedAsDataclass",
    "mapped_column",
    "MappedColumn",
    "WriteOnlyMapped",
    "WriteOnlyCollection",
    "DynamicMapped",
    "Uuid",
    "Double",
    "insert_sentinel",
    "Relationship",
}
_CANNOT_IMPORT = re.compile(r"cannot import name '(?P<name>\w+)' from '(?P<module>sqlalchemy[\w.]*)'")


def _needs_newer_sqlalchemy(project: Project, result: ProbeResult) -> Diagnosis | None:
    """Models written for SQLAlchemy 2.0 imported with 1.x: one diagnosis, not one per failed import."""
    if not result.sqlalchemy_version.startswith(("0.", "1.")):
        return None
    for event in result.import_errors:
        match = _CANNOT_IMPORT.search(event.get("message", ""))
        if event.get("type") == "ImportError" and match and match["name"] in _SQLALCHEMY_20_NAMES:
            frame = _project_frame(project, event.get("frames", []))
            code = codes.IMPORT_FAILURE
            return Diagnosis(
                code=code.code,
                name=code.name,
                severity=code.severity,
                message=(
                    f"These models need SQLAlchemy 2.0 (they import {match['name']} from {match['module']}); "
                    f"the interpreter {project.python} has SQLAlchemy {result.sqlalchemy_version}."
                ),
                file=frame["file"] if frame else None,
                line=frame["line"] if frame else None,
                sqlalchemy_error=f"ImportError: cannot import name {match['name']!r} from {match['module']!r}",
                why=(
                    "The project's code uses the SQLAlchemy 2.0 API; install SQLAlchemy 2.0 in that interpreter, "
                    "or run ormfix with the interpreter the application runs with (--python)."
                ),
                error_source="python",
            )
    return None


def _source(event: ProbeEvent) -> ErrorSource:
    """Whose words the event's message is: SQLAlchemy's (its exceptions and warnings) or Python's."""
    return "sqlalchemy" if event.get("module", "").startswith("sqlalchemy") else "python"


def _project_frame(project: Project, frames: list[Frame], innermost_first: bool = False) -> Frame | None:
    ordered = frames if innermost_first else list(reversed(frames))
    for frame in ordered:
        if frame.get("file") in project.files:
            return frame
    return None


def _is_environ_lookup(frame: Frame) -> bool:
    """os.environ[...] (os.py is frozen since Python 3.11: its frames say ``<frozen os>``)."""
    name = frame.get("file", "")
    return frame.get("function") == "__getitem__" and (name == "<frozen os>" or Path(name).name == "os.py")


def _import_failure(project: Project, event: ProbeEvent) -> Diagnosis:
    frames = event.get("frames", [])
    if event.get("type") == "KeyError" and any(_is_environ_lookup(f) for f in frames):
        event["environ"] = True
    event["python_given"] = project.python_given
    frame = _project_frame(project, frames)
    if event.get("module", "").startswith("sqlalchemy"):
        return _class_statement_error(project, event, frame)
    found = _relationship_statement_error(project, event, frame)
    if found is not None:
        return found
    code = codes.IMPORT_FAILURE
    explanation = code.explain(event, project.index)
    return Diagnosis(
        code=code.code,
        name=code.name,
        severity=code.severity,
        message=explanation.message,
        file=frame["file"] if frame else None,
        line=frame["line"] if frame else None,
        sqlalchemy_error=f"{event.get('type')}: {event.get('message', '')}".strip(),
        why=explanation.why,
        error_source=_source(event),
    )


def _class_statement_error(project: Project, event: ProbeEvent, frame: Frame | None) -> Diagnosis:
    """SQLAlchemy refused a class statement at import: a mapping error, located at the class."""
    file, line = (frame["file"], frame["line"]) if frame else (None, None)
    cls = _class_at(project, file, line)
    event = {**event, "phase": "class"}
    if cls:
        event.update({"class": cls.name, "class_module": cls.module, "class_line": cls.line})
    code = codes.classify(event, project.index)
    explanation = code.explain(event, project.index)
    at = explanation.context.get("at") or {}  # where the code says the fix goes (ORM039: the mixin's line)
    return Diagnosis(
        code=code.code,
        name=code.name,
        severity=code.severity,
        message=explanation.message,
        file=at.get("file", file),
        line=at.get("line", cls.line if cls else line),
        end_line=at.get("end_line", cls.end_line if cls else line),
        class_name=at.get("class", cls.name if cls else None),
        attribute=at.get("attribute"),
        target=explanation.target,
        sqlalchemy_error=f"{event.get('type')}: {event.get('message', '')}",
        why=explanation.why,
        context=dict(explanation.context, event=event),
        error_source=_source(event),
    )


def _relationship_statement_error(project: Project, event: ProbeEvent, frame: Frame | None) -> Diagnosis | None:
    """A relationship() argument raised as the class statement ran (``relationship(Missing)``: NameError,
    ``foreign_keys=[Post.nope]``: AttributeError): the relationship code it is, at the relationship's line;
    None when no relationship code claims it (then it stays an import failure)."""
    cls = _class_at(project, frame["file"], frame["line"]) if frame else None
    if frame is None or cls is None:
        return None
    rel = next((r for r in cls.relationships.values() if r.line <= frame["line"] <= r.end_line), None)
    if rel is None:
        return None
    event = {
        **event,
        "phase": "class",
        "target": rel.target,
        "class": cls.name,
        "class_module": cls.module,
        "class_line": cls.line,
        "attribute": rel.attribute,
    }
    if codes.classify(event, project.index) is codes.FALLBACK:
        return None
    return _configure_error(project, event)


def _class_at(project: Project, file: str | None, line: int | None) -> ClassInfo | None:
    """The class statement of the project spanning file:line, if any."""
    if file not in project.index.files:
        return None
    return next((c for c in project.index.files[file].classes if c.line <= (line or 0) <= c.end_line), None)


def _probe_failure(project: Project, result: ProbeResult) -> Diagnosis:
    frame = _project_frame(project, result.hang_frames, innermost_first=True)
    if frame is not None:
        frame = {**frame, "line": enclosing_loop_line(project.files[frame["file"]][0], frame["line"])}
    if result.status == "timeout":
        where = f" (still running {frame['file']}:{frame['line']})" if frame else ""
        event: ProbeEvent = {"type": "Timeout", "message": f"{result.detail}{where}", "phase": "import"}
    else:
        tail = result.output.strip().splitlines()[-1:] if result.output.strip() else []
        event = {
            "type": "ProcessExit" if result.status == "died" else "ProbeCrash",
            "message": result.detail + (f"; last output: {tail[0][:200]}" if tail else ""),
            "phase": "import",
        }
    code = codes.IMPORT_FAILURE
    explanation = code.explain(event, project.index)
    return Diagnosis(
        code=code.code,
        name=code.name,
        severity=code.severity,
        message=explanation.message,
        file=frame["file"] if frame else None,
        line=frame["line"] if frame else None,
        sqlalchemy_error=f"{event['type']}: {event['message']}",
        why=explanation.why,
        error_source="probe",
    )


def locate(project: Project, event: ProbeEvent) -> tuple[str | None, int | None, int | None]:
    """(file, first line, last line) of the relationship statement, else of the class."""
    cls = project.index.find_class(event.get("class") or "", event.get("class_module"))
    if cls is None:
        frame = _project_frame(project, event.get("frames", []))
        return (frame["file"], frame["line"], frame["line"]) if frame else (None, None, None)
    rel = cls.relationships.get(event.get("attribute") or "")
    if rel is not None:  # in the class body, a @declared_attr method, a mixin, or assigned below the class
        return rel.file or cls.file, rel.line, rel.end_line
    col = cls.columns.get(event.get("column_attribute") or "")
    if col is not None:
        return col.file or cls.file, col.line, col.end_line
    return cls.file, cls.line, cls.line


def _configure_error(project: Project, event: ProbeEvent) -> Diagnosis:
    code = codes.classify(event, project.index)
    explanation = code.explain(event, project.index)
    return _from_event(code, explanation, event, code.severity, *locate(project, event))


def _warning(project: Project, event: ProbeEvent) -> Diagnosis:
    match = _REL_IN_WARNING.search(event.get("message", ""))
    event = {**event, "severity": "warning"}
    if match:
        event.update({"class": match["cls"], "attribute": match["attr"]})
        cls = project.index.find_class(match["cls"])
        if cls is not None:
            event["class_module"] = cls.module  # for the round-trip of a fix
    elif (cls := _class_at(project, event.get("file"), event.get("line"))) is not None:
        event.update({"class": cls.name, "class_module": cls.module, "class_line": cls.line})  # a class statement
    code = codes.classify(event, project.index)
    explanation = code.explain(event, project.index)
    file, line, end_line = locate(project, event) if match else (event.get("file"), event.get("line"), None)
    if file not in project.files and explanation.context.get("class_line"):  # warned from a library's frame
        file, line = explanation.context.get("class_file"), explanation.context["class_line"]
        event["class"] = event.get("class") or explanation.context.get("class")
    if file not in project.files:
        file, line = None, None
    return _from_event(code, explanation, event, "warning", file, line, end_line)


def _from_event(
    code: Code,
    explanation: Explanation,
    event: ProbeEvent,
    severity: Severity,
    file: str | None,
    line: int | None,
    end_line: int | None,
) -> Diagnosis:
    """The diagnosis of an error or warning SQLAlchemy raised, as its code explains it."""
    return Diagnosis(
        code=code.code,
        name=code.name,
        severity=severity,
        message=explanation.message,
        file=file,
        line=line,
        end_line=end_line,
        class_name=event.get("class"),
        attribute=event.get("attribute"),
        target=explanation.target,
        sqlalchemy_error=f"{event.get('type')}: {event.get('message', '')}",
        why=explanation.why,
        context=dict(explanation.context, event=event),
        error_source=_source(event),
    )
