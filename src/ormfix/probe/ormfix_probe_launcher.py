"""Start the probe child fenced in, then end every process it started.

Runs in the *project's* interpreter (standard library only, Python 3.8+), started by ormfix with the
child's minimal environment, as ``python -B ormfix_probe_launcher.py CONFIG.json CHILD.py REQUEST RESULT``
(inside a PID namespace when ``unshare`` can make one without privileges); arguments after RESULT go
to the child. It:

- becomes a child subreaper (Linux prctl), so whatever the child starts and orphans, double-forked and
  setsid() or not, is re-parented here and killed when the child ends (in a PID namespace the kernel
  kills them anyway when this process, its init, ends);
- dies with ormfix (PR_SET_PDEATHSIG) and, on SIGTERM, kills the child and its orphans first;
- applies Linux Landlock where the kernel has it: writes, deletions and renames only under the scratch
  folder (and /dev/null, /dev/shm); from ABI 6, no signals to processes outside the sandbox;
- sets resource limits (memory, CPU seconds, processes, file size) for the child, and its niceness;
- runs the child in a forked process, so the child's parent (``/proc/<ppid>``) is this process, whose
  environment is the minimal one, never ormfix's.

It writes what was in force to ISOLATION (the config's "report" path) and how the child ended to
"exit" (its exit code or the signal that ended it).
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import runpy
import signal
import sys
from types import FrameType
from typing import Any

PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38
PR_SET_CHILD_SUBREAPER = 36
SYS_LANDLOCK = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446)}  # create_ruleset, add_rule, restrict_self

# Landlock filesystem rights (ABI 1..5) and scopes (ABI 6)
EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE, MAKE_CHAR, MAKE_DIR, MAKE_REG = 1 << 4, 1 << 5, 1 << 6, 1 << 7, 1 << 8
MAKE_SOCK, MAKE_FIFO, MAKE_BLOCK, MAKE_SYM, REFER, TRUNCATE = 1 << 9, 1 << 10, 1 << 11, 1 << 12, 1 << 13, 1 << 14
SCOPE_SIGNAL = 1 << 1


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _prctl(libc: ctypes.CDLL | None, option: int, value: int) -> bool:
    return libc is not None and hasattr(libc, "prctl") and libc.prctl(option, value, 0, 0, 0) == 0


def landlock(libc: ctypes.CDLL | None, writable: list[str]) -> int:
    """Writes only beneath ``writable`` (folders) and to /dev/null; returns the ABI in force (0: none)."""
    numbers = SYS_LANDLOCK.get(os.uname().machine)
    if libc is None or numbers is None or not sys.platform.startswith("linux"):
        return 0
    create, add_rule, restrict = numbers
    abi = libc.syscall(create, None, ctypes.c_size_t(0), ctypes.c_uint32(1))  # LANDLOCK_CREATE_RULESET_VERSION
    if abi < 1:
        return 0
    folder_rights = (
        WRITE_FILE
        | REMOVE_DIR
        | REMOVE_FILE
        | MAKE_CHAR
        | MAKE_DIR
        | MAKE_REG
        | MAKE_SOCK
        | MAKE_FIFO
        | MAKE_BLOCK
        | MAKE_SYM
        | (REFER if abi >= 2 else 0)
        | (TRUNCATE if abi >= 3 else 0)
    )
    attr = _RulesetAttr(folder_rights, 0, SCOPE_SIGNAL if abi >= 6 else 0)
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else 8  # older kernels know only the first field
    ruleset = libc.syscall(create, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        return 0
    try:
        rules = [(path, folder_rights) for path in writable]
        rules += [("/dev/shm", folder_rights), ("/dev/null", WRITE_FILE | (TRUNCATE if abi >= 3 else 0))]
        for path, rights in rules:
            try:
                handle = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                if not os.path.isdir(path):
                    rights &= WRITE_FILE | TRUNCATE | EXECUTE | READ_FILE
                rule = _PathBeneath(rights, handle)
                libc.syscall(add_rule, ctypes.c_int(ruleset), ctypes.c_int(1), ctypes.byref(rule), ctypes.c_uint32(0))
            finally:
                os.close(handle)
        if not _prctl(libc, PR_SET_NO_NEW_PRIVS, 1):
            return 0
        if libc.syscall(restrict, ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            return 0
        return abi
    finally:
        os.close(ruleset)


# Memory: on Linux RLIMIT_DATA, which counts the writable private memory a process uses (heap and
# every anonymous mmap, since Linux 4.7) but not the address space merely reserved (malloc arenas,
# OpenBLAS buffers), which RLIMIT_AS would count and fail on many-core machines; elsewhere RLIMIT_AS.
LIMITS = {
    "memory": resource.RLIMIT_DATA if sys.platform.startswith("linux") else resource.RLIMIT_AS,
    "cpu": resource.RLIMIT_CPU,
    "processes": resource.RLIMIT_NPROC,
    "file_size": resource.RLIMIT_FSIZE,
}


def set_limits(limits: dict[str, int | None]) -> dict[str, int]:
    """Lower each limit to the value asked (never above the hard limit already in force)."""
    applied: dict[str, int] = {}
    for name, value in limits.items():
        which = LIMITS.get(name)
        if which is None or value is None:
            continue
        if name == "processes":
            value += _processes_of_this_user()  # the limit counts every process of the user
        _, hard = resource.getrlimit(which)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        ceiling = value + 5 if name == "cpu" else value  # SIGXCPU (diagnosed) before SIGKILL
        ceiling = ceiling if hard == resource.RLIM_INFINITY else min(ceiling, hard)
        try:
            resource.setrlimit(which, (value, ceiling))
            applied[name] = value
        except (ValueError, OSError):
            pass
    return applied


def _processes_of_this_user() -> int:
    uid, count = os.getuid(), 0
    try:
        for name in os.listdir("/proc"):
            if name.isdigit():
                try:
                    count += os.stat("/proc/" + name).st_uid == uid
                except OSError:
                    pass
    except OSError:
        return 0
    return count


def _orphans() -> list[int]:
    """Processes re-parented to this one (the subreaper) or still its children."""
    me = str(os.getpid())
    found: list[int] = []
    try:
        names = [n for n in os.listdir("/proc") if n.isdigit()]
    except OSError:
        return found
    for name in names:
        try:
            with open("/proc/%s/stat" % name) as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == me:  # fields: state, ppid, ...
            found.append(int(name))
    return found


def kill_descendants() -> None:
    """SIGKILL every process left behind, until none is (they may fork while being killed)."""
    for _ in range(100):
        left = _orphans()
        if not left:
            return
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        for pid in left:
            try:
                os.waitpid(pid, 0)
            except OSError:
                pass


def lower_priority(nice: int) -> None:
    """Yield the CPU to the processes ormfix waits for: this process's niceness, and its session's
    autogroup's (Linux schedules a new session as a group of its own, where niceness alone is not seen)."""
    try:
        os.nice(nice)
    except OSError:
        pass
    try:
        with open("/proc/self/autogroup", "w", encoding="ascii") as handle:
            handle.write(str(nice))
    except OSError:  # no autogroups (or no /proc): the niceness alone
        pass


def main() -> None:
    config_path, child, request, result = sys.argv[1:5]
    with open(config_path, encoding="utf-8") as handle:
        config = json.load(handle)
    libc = _libc() if sys.platform.startswith("linux") else None
    parent = os.getppid()
    isolation: dict[str, Any] = {
        "pid_namespace": os.getpid() == 1,
        "subreaper": _prctl(libc, PR_SET_CHILD_SUBREAPER, 1),
    }
    if _prctl(libc, PR_SET_PDEATHSIG, signal.SIGTERM) and os.getppid() != parent:
        sys.exit(1)  # ormfix already ended
    if config.get("nice"):
        lower_priority(config["nice"])
    isolation["landlock"] = landlock(libc, config["writable"]) if config.get("landlock", True) else 0
    isolation["limits"] = set_limits(config.get("limits", {}))
    with open(config["report"], "w", encoding="utf-8") as handle:
        json.dump(isolation, handle)
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _prctl(libc, PR_SET_PDEATHSIG, signal.SIGKILL)  # the launcher gone: nothing left to report to
        sys.argv = [child, request, result, *sys.argv[5:]]  # --warm READY_FD NAMES (child.py)
        sys.path[0] = os.path.dirname(child)
        code = 0
        try:
            runpy.run_path(child, run_name="__main__")
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)

    def stop(signum: int, frame: FrameType | None) -> None:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass

    signal.signal(signal.SIGTERM, stop)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:  # pragma: no cover - PEP 475 retries
            continue
    kill_descendants()
    ended = {"signal": os.WTERMSIG(status)} if os.WIFSIGNALED(status) else {"code": os.WEXITSTATUS(status)}
    with open(config["exit"], "w", encoding="utf-8") as handle:
        json.dump(ended, handle)
    sys.stdout.flush()
    os._exit(128 + ended["signal"] if "signal" in ended else ended["code"])


if __name__ == "__main__":
    main()
