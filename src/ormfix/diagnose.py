"""Turn what the probe saw (errors, warnings, import failures) into diagnoses at file:line."""

from __future__ import annotations

import re
from pathlib import Path

from . import codes
from .discover import Project
from .errors import UsageError
from .findings import Diagnosis
from .index import enclosing_loop_line
from .probe.runner import ProbeResult

_REL_IN_WARNING = re.compile(r"relationship '(?P<cls>\w+)\.(?P<attr>\w+)'")


def diagnose(project: Project, result: ProbeResult) -> list[Diagnosis]:
    if result.status == "no-python":
        raise UsageError(result.detail)
    if result.status == "no-sqlalchemy":
        raise UsageError(f"{project.python} cannot import SQLAlchemy ({result.detail}); "
                         "run ormfix with the project's interpreter: --python PATH/TO/python")
    found: list[Diagnosis] = []
    if result.status in ("timeout", "died", "crashed"):
        found.append(_probe_failure(project, result))
    for event in result.import_errors:
        event = dict(event, phase="import")
        diagnosis = _import_failure(project, event)
        if _skipped_class_import(event, found):
            continue  # `from m import Tag` after Tag's class statement raised: that diagnosis is the cause
        if not any(d.file == diagnosis.file and d.line == diagnosis.line for d in found):
            found.append(diagnosis)
    failed_files = {d.file for d in found} | {cls.file for d in found if _unbuilt_class(d) and
                                               (cls := project.index.find_class(_unbuilt_class(d))) is not None}
    failed: dict = {}  # relationships reported so far -> error type (a pair failing on both sides counts once)
    for event in result.errors:
        if _twin_of_failed(event, failed):
            continue  # its back_populates partner failed first: one root cause, one diagnosis
        failed[(event.get("class"), event.get("attribute"))] = event.get("type")
        if _target_failed_to_build(project, event, found):
            continue  # "Class X is not mapped": X's class statement raised, and that is the diagnosis
        diagnosis = _configure_error(project, event)
        if _knock_on(project, diagnosis, failed_files) or _same_root(diagnosis, found) or \
                _fk_knock_on(project, diagnosis, found):
            continue
        found.append(diagnosis)
    for event in result.warnings:
        if not event.get("module", "").startswith("sqlalchemy") or _is_deprecation(event):
            continue  # deprecations (MovedIn20Warning, ...) are about the API, not the mapping
        diagnosis = _warning(project, event)
        if _inside_failed_class(diagnosis, found):
            continue  # a warning from a class statement that raised: the error is the diagnosis
        if not any(d.key == diagnosis.key and d.message == diagnosis.message for d in found):
            found.append(diagnosis)
    return found


def _project_frame(project: Project, frames: list[dict], innermost_first: bool = False) -> dict | None:
    ordered = frames if innermost_first else list(reversed(frames))
    for frame in ordered:
        if frame.get("file") in project.files:
            return frame
    return None


def _is_environ_lookup(frame: dict) -> bool:
    """os.environ[...] (os.py is frozen since Python 3.11: its frames say ``<frozen os>``)."""
    name = frame.get("file", "")
    return frame.get("function") == "__getitem__" and (name == "<frozen os>" or Path(name).name == "os.py")


def _import_failure(project: Project, event: dict) -> Diagnosis:
    frames = event.get("frames", [])
    if event.get("type") == "KeyError" and any(_is_environ_lookup(f) for f in frames):
        event["environ"] = True
    frame = _project_frame(project, frames)
    if event.get("module", "").startswith("sqlalchemy"):
        return _class_statement_error(project, event, frame)
    found = _relationship_statement_error(project, event, frame)
    if found is not None:
        return found
    code = codes.IMPORT_FAILURE
    explanation = code.explain(event, project.index)
    return Diagnosis(
        code=code.code, name=code.name, severity=code.severity, message=explanation.message,
        file=frame["file"] if frame else None, line=frame["line"] if frame else None,
        sqlalchemy_error=f"{event.get('type')}: {event.get('message', '')}".strip(),
        why=explanation.why,
    )


def _class_statement_error(project: Project, event: dict, frame: dict | None) -> Diagnosis:
    """SQLAlchemy refused a class statement at import: a mapping error, located at the class."""
    file, line = (frame["file"], frame["line"]) if frame else (None, None)
    cls = _class_at(project, file, line)
    event = dict(event, phase="class",
                 **({"class": cls.name, "class_module": cls.module, "class_line": cls.line} if cls else {}))
    code = codes.classify(event, project.index)
    explanation = code.explain(event, project.index)
    at = explanation.context.get("at") or {}  # where the code says the fix goes (ORM039: the mixin's line)
    return Diagnosis(
        code=code.code, name=code.name, severity=code.severity, message=explanation.message,
        file=at.get("file", file), line=at.get("line", cls.line if cls else line),
        end_line=at.get("end_line", cls.end_line if cls else line),
        class_name=at.get("class", cls.name if cls else None), attribute=at.get("attribute"), target=explanation.target,
        sqlalchemy_error=f"{event.get('type')}: {event.get('message', '')}",
        why=explanation.why, context=dict(explanation.context, event=event),
    )


def _relationship_statement_error(project: Project, event: dict, frame: dict | None) -> Diagnosis | None:
    """A relationship() argument raised as the class statement ran (``relationship(Missing)``: NameError,
    ``foreign_keys=[Post.nope]``: AttributeError): the relationship code it is, at the relationship's line;
    None when no relationship code claims it (then it stays an import failure)."""
    cls = _class_at(project, frame["file"], frame["line"]) if frame else None
    rel = next((r for r in cls.relationships.values() if r.line <= frame["line"] <= r.end_line), None) if cls else None
    if rel is None:
        return None
    event = dict(event, phase="class", target=rel.target, **{"class": cls.name, "class_module": cls.module,
                                                              "class_line": cls.line, "attribute": rel.attribute})
    if codes.classify(event, project.index) is codes.FALLBACK:
        return None
    return _configure_error(project, event)


def _class_at(project: Project, file: str | None, line: int | None):
    """The class statement of the project spanning file:line, if any."""
    if file not in project.index.files:
        return None
    return next((c for c in project.index.files[file].classes if c.line <= (line or 0) <= c.end_line), None)


def _probe_failure(project: Project, result: ProbeResult) -> Diagnosis:
    frame = _project_frame(project, result.hang_frames, innermost_first=True)
    if frame is not None:
        frame = dict(frame, line=enclosing_loop_line(project.files[frame["file"]][0], frame["line"]))
    if result.status == "timeout":
        where = f" (still running {frame['file']}:{frame['line']})" if frame else ""
        event = {"type": "Timeout", "message": f"{result.detail}{where}", "phase": "import"}
    else:
        tail = result.output.strip().splitlines()[-1:] if result.output.strip() else []
        event = {"type": "ProcessExit" if result.status == "died" else "ProbeCrash",
                 "message": result.detail + (f"; last output: {tail[0][:200]}" if tail else ""), "phase": "import"}
    code = codes.IMPORT_FAILURE
    explanation = code.explain(event, project.index)
    return Diagnosis(
        code=code.code, name=code.name, severity=code.severity, message=explanation.message,
        file=frame["file"] if frame else None, line=frame["line"] if frame else None,
        sqlalchemy_error=f"{event['type']}: {event['message']}", why=explanation.why,
    )


def locate(project: Project, event: dict) -> tuple[str | None, int | None, int | None]:
    """(file, first line, last line) of the relationship statement, else of the class."""
    cls = project.index.find_class(event.get("class") or "", event.get("class_module"))
    if cls is None:
        frame = _project_frame(project, event.get("frames", []))
        return (frame["file"], frame["line"], frame["line"]) if frame else (None, None, None)
    rel = cls.relationships.get(event.get("attribute") or "")
    if rel is not None:
        return cls.file, rel.line, rel.end_line
    col = cls.columns.get(event.get("column_attribute") or "")
    if col is not None:
        return cls.file, col.line, col.end_line
    return cls.file, cls.line, cls.line


def _configure_error(project: Project, event: dict) -> Diagnosis:
    code = codes.classify(event, project.index)
    explanation = code.explain(event, project.index)
    file, line, end_line = locate(project, event)
    return Diagnosis(
        code=code.code, name=code.name, severity=code.severity, message=explanation.message,
        file=file, line=line, end_line=end_line,
        class_name=event.get("class"), attribute=event.get("attribute"), target=explanation.target,
        sqlalchemy_error=f"{event.get('type')}: {event.get('message', '')}",
        why=explanation.why, context=dict(explanation.context, event=event),
    )


def _warning(project: Project, event: dict) -> Diagnosis:
    match = _REL_IN_WARNING.search(event.get("message", ""))
    event = dict(event, severity="warning")
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
    return Diagnosis(
        code=code.code, name=code.name, severity="warning", message=explanation.message,
        file=file, line=line, end_line=end_line, class_name=event.get("class"), attribute=event.get("attribute"),
        target=explanation.target, sqlalchemy_error=f"{event.get('type')}: {event.get('message', '')}",
        why=explanation.why, context=dict(explanation.context, event=event),
    )


_NOT_MAPPED = re.compile(r"Class '(?:[\w.]+\.)?(?P<name>\w+)' is not mapped")


def _target_failed_to_build(project: Project, event: dict, found: list[Diagnosis]) -> bool:
    match = _NOT_MAPPED.search(event.get("message", ""))
    if not match:
        return False
    cls = project.index.find_class(match["name"])
    return any(_unbuilt_class(d) == match["name"] or
               (cls is not None and d.file == cls.file and d.line is not None and cls.line <= d.line <= cls.end_line)
               for d in found)


def _is_deprecation(event: dict) -> bool:
    kind = event.get("type", "")
    return "Deprecat" in kind or kind in {"MovedIn20Warning", "RemovedIn20Warning", "LegacyAPIWarning"}


def _twin_of_failed(event: dict, failed: dict) -> bool:
    """The other side of a back_populates pair whose first side was already reported for the same cause:
    it lost its partner (``has no property``), or the pair has no ForeignKey at all (one column fixes both)."""
    partner = event.get("back_populates")
    target = event.get("target_class") or (event.get("target") or "").rsplit(".", 1)[-1]
    if not partner or (target, partner) not in failed or (event.get("class"), event.get("attribute")) == (target, partner):
        return False
    return (f"has no property '{partner}'" in event.get("message", "")
            or event.get("type") == failed[(target, partner)] == "NoForeignKeysError")


_CANNOT_IMPORT = re.compile(r"cannot import name '(?P<name>\w+)' from '(?P<module>[\w.]+)'")


def _skipped_class_import(event: dict, found: list[Diagnosis]) -> bool:
    match = _CANNOT_IMPORT.search(event.get("message", "")) if event.get("type") == "ImportError" else None
    return bool(match) and any(_unbuilt_class(d) == match["name"] and
                               d.context.get("event", {}).get("class_module") == match["module"] for d in found)


def _unbuilt_class(diagnosis: Diagnosis) -> str | None:
    """The class whose statement raised at import, for a diagnosis of that (else None)."""
    event = diagnosis.context.get("event", {})
    return event.get("class") if event.get("phase") == "class" else None


def _inside_failed_class(warning: Diagnosis, found: list[Diagnosis]) -> bool:
    return warning.line is not None and any(
        d.class_name and d.attribute is None and d.file == warning.file and d.end_line is not None
        and d.line <= warning.line <= d.end_line and d.severity == "error" for d in found)


def _same_root(diagnosis: Diagnosis, found: list[Diagnosis]) -> bool:
    """A code's ``root_cause`` (e.g. one misspelled ForeignKey failing both sides of a pair) is reported once,
    by the diagnosis the code marks ``primary`` when there is one (whichever failed first otherwise)."""
    root = diagnosis.context.get("root_cause")
    same = next((d for d in found if root is not None and d.code == diagnosis.code and d.context.get("root_cause") == root), None)
    if same is not None and diagnosis.context.get("primary") and not same.context.get("primary"):
        found[found.index(same)] = diagnosis
    return same is not None


def _fk_knock_on(project: Project, diagnosis: Diagnosis, found: list[Diagnosis]) -> bool:
    """A ForeignKey into a table an earlier diagnosis explains: its class statement raised (the table was
    never built), or the two classes are on different declarative bases (``split_pair``, ORM038)."""
    if diagnosis.code != "ORM030":
        return False
    cls = project.index.class_for_table((diagnosis.context.get("bad_target") or "").rpartition(".")[0])
    if cls is None:
        return False
    pair = {cls.name, diagnosis.context.get("holder")}
    return any(_unbuilt_class(d) == cls.name or pair == set(d.context.get("split_pair", ())) for d in found)


def _knock_on(project: Project, diagnosis: Diagnosis, failed_files: set) -> bool:
    """An unresolved target whose class lives in a module that failed to import is not a cause of its own."""
    if diagnosis.code != "ORM002" or not failed_files:
        return False
    name = (diagnosis.target or "").rsplit(".", 1)[-1]
    cls = project.index.find_class(name)
    if cls is not None:
        return cls.file in failed_files
    # a file that cannot be parsed may define the class: look for its class statement in the raw text
    pattern = re.compile(rb"^\s*class\s+" + re.escape(name.encode()) + rb"\b", re.MULTILINE)
    for path in failed_files:
        if path in project.files and project.index.files.get(path) and project.index.files[path].error:
            try:
                if pattern.search(project.files[path][0].read_bytes()):
                    return True
            except OSError:
                continue
    return False
