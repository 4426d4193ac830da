"""The probe's child process: import the models, configure the mappers, report as JSON.

Runs in the *project's* interpreter, so it may use only the standard library and SQLAlchemy (never
ormfix, never a third-party package). Started as ``python -B child.py REQUEST.json RESULT.json``.

It imports once, then keeps going past every relationship that fails: the failing property is
removed from its mapper and configuration runs again, so one run finds every broken relationship
(SQLAlchemy itself stops at the first and blames every other mapper after it).
"""

from __future__ import annotations

import faulthandler
import gc
import importlib
import json
import os
import sys
import traceback
import warnings
from typing import Any

# The probe's parts live beside this script; they are imported under names no project uses, and the
# folder leaves sys.path again before the project's modules are imported.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
import ormfix_probe_migration  # noqa: E402
from ormfix_probe_checks import check_back_populates_pairs, check_flush_cycles, check_foreign_key_targets  # noqa: E402
from ormfix_probe_imports import _fake_os_exit, import_models  # noqa: E402
from ormfix_probe_mappers import ConfigureAtImport, ImportWarnings, all_mappers, class_record, configure_all  # noqa: E402
from ormfix_probe_objects import roundtrip  # noqa: E402


class _Done(Exception):
    """A migration mode finished: report what it found."""


def _migration_after(request: Any, result: Any, scratch: str) -> None:
    """The Alembic revision of the fixes being verified; a failure is the migration's, never the verification's."""
    try:
        ormfix_probe_migration.migration(dict(request, scratch=scratch), result)
    except Exception:  # noqa: BLE001 - reported as the migration's error
        result["migration_error"] = traceback.format_exc(limit=-1).strip().splitlines()[-1]


def _wait_for_go() -> None:
    """Started warm (``--warm READY_FD NAMES``): import NAMES, say on READY_FD whether that was clean (no
    warning, no failure), then wait for "go" on stdin; stdin is then /dev/null, as for a cold start."""
    if sys.argv[3:4] != ["--warm"]:
        return
    ready, names = int(sys.argv[4]), [name for name in sys.argv[5].split(",") if name]
    del sys.argv[3:]  # the models see the argv of a cold start
    clean = True
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for name in names:
            try:
                importlib.import_module(name)
            except BaseException:  # noqa: BLE001 - ormfix ends this process and starts a cold one
                clean = False
                break
    os.write(ready, b"1" if clean and not caught else b"0")
    os.close(ready)
    line = b""
    while not line.endswith(b"\n"):
        chunk = os.read(0, 16)
        if not chunk:
            break
        line += chunk
    if line.strip() != b"go":
        os._exit(0)  # not needed after all
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)


def main() -> None:
    _wait_for_go()
    request_path, result_path = sys.argv[1], sys.argv[2]
    with open(request_path, encoding="utf-8") as handle:
        request = json.load(handle)
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]
    sys.path[:0] = request["roots"]
    result: dict[str, Any] = {
        "status": "ok",
        "import_errors": [],
        "errors": [],
        "warnings": [],
        "classes": [],
        "roundtrips": [],
    }
    hang_file = open(request["hang_file"], "w")
    faulthandler.dump_traceback_later(request["timeout"], exit=True, file=hang_file)
    real_exit = os._exit
    os._exit = _fake_os_exit
    # Declaring and configuring thousands of mapped classes allocates millions of objects and little
    # cyclic garbage; the collector's passes cost a quarter of the CPU time, and this process is short
    # lived (it ends with os._exit), so it runs without them.
    gc.disable()
    try:
        try:
            import sqlalchemy  # noqa: F401

            result["sqlalchemy_version"] = sqlalchemy.__version__
        except ImportError as exc:
            result["status"] = "no-sqlalchemy"
            result["detail"] = str(exc)
        else:
            roots = [os.path.abspath(r) for r in request["roots"]]
            with ImportWarnings(result, roots), ConfigureAtImport(result):
                import_models(request["modules"], result, roots)
            if request.get("mode") in ("schema", "migration"):  # a fix's migration, not a diagnosis
                getattr(ormfix_probe_migration, request["mode"])(request, result)
                raise _Done
            if request.get("schema"):  # apply's check probe: the tables before any fix, for its migration
                ormfix_probe_migration.schema(request, result)
            configured = configure_all(result)
            check_foreign_key_targets(result)
            if configured:
                check_back_populates_pairs(result)
            result["classes"] = [class_record(m) for m in all_mappers()]
            if configured:
                check_flush_cycles(result)
                for item in request.get("roundtrip", []):
                    outcome = roundtrip(item["module"], item["class"], item["attribute"])
                    outcome.update(item)
                    result["roundtrips"].append(outcome)
            if request.get("migration"):  # apply's verification probe: the revision its fixes need
                _migration_after(request["migration"], result, os.path.dirname(os.path.abspath(result_path)))
    except _Done:
        pass
    except BaseException as exc:  # the probe must always report
        result["status"] = "crashed"
        result["detail"] = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    faulthandler.cancel_dump_traceback_later()
    with open(result_path, "w", encoding="utf-8") as handle:
        json.dump(result, handle, default=str)
    sys.stdout.flush()
    sys.stderr.flush()
    real_exit(0)  # skip interpreter teardown: it costs time and runs user atexit hooks


if __name__ == "__main__":
    main()
