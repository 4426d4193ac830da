"""Models that try to escape the probe: write outside the scratch copy, read ormfix's environment, leave a
double-forked process behind, kill ormfix, allocate 10 GiB, spin the CPU, write huge files, fork away.
What holds depends on what the system offers (PID namespaces via unshare, Landlock); each test says."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from conftest import run_ormfix
from safety import as_in_a_terminal, diagnoses_of, run_untouched, snapshot, widget_project

from ormfix.probe import isolation

HAS_NAMESPACE = bool(isolation.namespace_prefix())
FALLBACK = {"ORMFIX_NO_NAMESPACE": "1"}  # test-only: the launcher without a PID namespace


def landlock_abi() -> int:
    import ctypes

    try:
        return max(0, ctypes.CDLL(None, use_errno=True).syscall(444, None, 0, 1))
    except (OSError, AttributeError):
        return 0


LANDLOCK = landlock_abi()


def import_failure(result) -> dict:
    assert result.returncode == 1, result.stdout + result.stderr
    [found] = [d for d in diagnoses_of(result) if d["code"] == "ORM004"]
    return found


def check_json(project, env=None):
    return run_untouched(project, "check", str(project), "--format", "json", env=env)


@pytest.mark.skipif(not LANDLOCK, reason="the kernel has no Landlock")
@pytest.mark.parametrize("env", [None, FALLBACK], ids=["namespace", "no-namespace"])
def test_a_model_writing_to_an_absolute_path_outside_the_copy_is_refused(tmp_path, env):
    victim = tmp_path / "widget_case" / "models" / "base.py"  # the real project file, path baked in
    outside = tmp_path / "outside.txt"
    project = widget_project(
        tmp_path, f"open({str(victim)!r}, 'a').write('# owned'); open({str(outside)!r}, 'w').write('x')"
    )
    found = import_failure(check_json(project, env))
    assert (found["file"], found["line"]) == ("models/widget.py", 6)
    assert "PermissionError" in found["sqlalchemy_error"]
    assert not outside.exists() and "# owned" not in victim.read_text()


SECRET = "ormfix-secret-" + uuid.uuid4().hex
SCAN = f"""
import glob, os
def read(path):
    try:
        with open(path, 'rb') as handle:
            return handle.read()
    except OSError:
        return b''
secret = {SECRET!r}.encode()
parent = secret in read('/proc/%d/environ' % os.getppid()) if os.getppid() else False
seen = [p for p in glob.glob('/proc/[0-9]*/environ') if secret in read(p)]
cwds = []
for link in glob.glob('/proc/[0-9]*/cwd'):
    try:
        cwds += ['widget_case' in os.readlink(link)] if 'widget_case' in os.readlink(link) else []
    except OSError:
        pass
raise RuntimeError('parent=%s any=%d cwd=%d' % (parent, len(seen), len(cwds)))
"""
LOOK_FOR_SECRETS = f"exec({SCAN!r})"


def test_the_childs_parent_holds_only_the_minimal_environment(tmp_path):
    project = widget_project(tmp_path, LOOK_FOR_SECRETS)
    found = import_failure(check_json(project, dict(FALLBACK, ORMFIX_TEST_SECRET=SECRET)))
    assert "parent=False" in found["sqlalchemy_error"], found


@pytest.mark.skipif(not HAS_NAMESPACE, reason="unshare cannot make a PID namespace here")
def test_in_a_pid_namespace_no_process_holds_ormfixs_environment_or_folder(tmp_path):
    project = widget_project(tmp_path, LOOK_FOR_SECRETS)
    found = import_failure(check_json(project, {"ORMFIX_TEST_SECRET": SECRET}))
    assert "parent=False any=0 cwd=0" in found["sqlalchemy_error"], found


@pytest.mark.parametrize("env", [None, FALLBACK], ids=["namespace", "no-namespace"])
def test_a_double_forked_setsid_process_ends_with_the_probe(tmp_path, env):
    marker = f"{time.time() % 1000:.6f}".rstrip("0") + "1"  # a sleep nobody else runs
    project = widget_project(
        tmp_path,
        (
            "import os; pid = os.fork(); "
            f"(os.setsid(), os.fork() == 0 and os.execvp('sleep', ['sleep', '{marker}']), os._exit(0)) if pid == 0 "
            "else os.waitpid(pid, 0)"
        ),
    )
    result = run_ormfix("check", str(project), "--format", "json", env=env)
    assert result.returncode in (0, 1), result.stderr
    time.sleep(0.5)
    left = subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True, text=True).stdout.split()
    for pid in left:  # clean up before failing
        os.kill(int(pid), 9)
    assert left == []


@pytest.mark.skipif(LANDLOCK < 6, reason="Landlock signal scoping needs ABI 6 (Linux 6.12)")
def test_a_model_cannot_kill_ormfix(tmp_path):
    kill_grandparent = (
        "import os, signal; ppid = os.getppid(); "
        "stat = open('/proc/%d/stat' % ppid).read().rsplit(')', 1)[1].split(); "
        "os.kill(int(stat[1]), signal.SIGKILL)"
    )
    project = widget_project(tmp_path, kill_grandparent)
    found = import_failure(check_json(project, FALLBACK))
    assert "PermissionError" in found["sqlalchemy_error"]


def test_a_10_gib_allocation_fails_with_the_memory_limit_named(tmp_path):
    project = widget_project(tmp_path, "data = bytearray(10 * 1024 ** 3)")
    found = import_failure(check_json(project))
    assert "MemoryError" in found["sqlalchemy_error"] and "max-memory-mb = 4096" in found["sqlalchemy_error"]


def test_a_file_larger_than_the_limit_fails_with_the_limit_named(tmp_path):
    project = widget_project(tmp_path, "open('big.bin', 'wb').write(b'x' * (3 * 1024 * 1024))")
    (project / "pyproject.toml").write_text("[tool.ormfix]\nmax-file-mb = 1\n")
    found = import_failure(check_json(project))
    assert "File too large" in found["sqlalchemy_error"] and "max-file-mb = 1" in found["sqlalchemy_error"]


@pytest.mark.slow
def test_spinning_past_the_cpu_limit_is_diagnosed_as_such(tmp_path):
    project = widget_project(tmp_path, "while True: pass")
    (project / "pyproject.toml").write_text("[tool.ormfix]\nmax-cpu-seconds = 2\ntimeout = 120\n")
    found = import_failure(check_json(project))
    assert "CPU time limit ([tool.ormfix] max-cpu-seconds = 2 seconds)" in found["message"], found


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() == 0, reason="the kernel never applies RLIMIT_NPROC to root")
def test_forking_past_the_process_limit_is_diagnosed_as_such(tmp_path):
    project = widget_project(
        tmp_path, "import os, time; [os.fork() or (time.sleep(30), os._exit(0)) for _ in range(50)]"
    )
    (project / "pyproject.toml").write_text("[tool.ormfix]\nmax-processes = 5\n")
    found = import_failure(check_json(project))
    assert "BlockingIOError" in found["sqlalchemy_error"] and "max-processes = 5" in found["sqlalchemy_error"]


def test_verbose_says_which_isolation_was_in_force(tmp_path):
    project = widget_project(tmp_path, "pass")
    result = run_ormfix("check", str(project), "-v", "-q")
    [line] = [line for line in result.stderr.splitlines() if line.startswith("ormfix: isolation: ")]
    assert ("own PID namespace" in line) == HAS_NAMESPACE
    assert (f"Landlock ABI {LANDLOCK}: writes only in the scratch copy" in line) == bool(LANDLOCK)
    assert "subreaper" in line and "memory 4096 MB" in line


@pytest.mark.parametrize("key", ["max-memory-mb", "max-cpu-seconds", "max-processes", "max-file-mb"])
def test_a_bad_limit_setting_is_one_line(tmp_path, key):
    from safety import assert_one_line_error

    project = widget_project(tmp_path, "pass")
    (project / "pyproject.toml").write_text(f"[tool.ormfix]\n{key} = -1\n")
    assert_one_line_error(run_untouched(project, "check", str(project)), f"{key} must be a positive number")


@pytest.mark.slow
@pytest.mark.parametrize("env", [None, FALLBACK], ids=["namespace", "no-namespace"])
def test_killing_ormfix_mid_probe_ends_the_child_and_what_it_started(tmp_path, env):
    marker = f"{time.time() % 1000:.6f}".rstrip("0") + "3"
    project = widget_project(
        tmp_path,
        (
            "import os, time; pid = os.fork(); "
            f"(os.setsid(), os.fork() == 0 and os.execvp('sleep', ['sleep', '{marker}']), os._exit(0)) if pid == 0 "
            "else (os.waitpid(pid, 0), time.sleep(300))"
        ),
    )
    full_env = dict(os.environ, **(env or {}))
    full_env.pop("VIRTUAL_ENV", None)
    ormfix = subprocess.Popen(
        [sys.executable, "-m", "ormfix", "check", str(project), "--timeout", "300"],
        env=full_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True).stdout:
        assert time.monotonic() < deadline, "the model never started its daemon"
        time.sleep(0.2)
    ormfix.kill()
    ormfix.wait()
    deadline, left = time.monotonic() + 10, ["?"]
    while left and time.monotonic() < deadline:
        time.sleep(0.3)
        left = subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True, text=True).stdout.split()
    for pid in left:
        os.kill(int(pid), 9)
    assert left == []


@pytest.mark.slow
def test_ctrl_c_while_the_models_import_says_interrupted_and_ends_the_child(tmp_path):
    marker = f"{time.time() % 1000:.6f}".rstrip("0") + "7"
    project = widget_project(tmp_path, f"import subprocess; subprocess.run(['sleep', '{marker}'])")
    before = snapshot(project)
    env = dict(os.environ, NO_COLOR="1")
    env.pop("VIRTUAL_ENV", None)
    ormfix = subprocess.Popen(
        [sys.executable, "-m", "ormfix", "apply", str(project), "--timeout", "300"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=as_in_a_terminal,
    )
    deadline = time.monotonic() + 60
    while not subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True).stdout:
        assert time.monotonic() < deadline, "the models never started importing"
        time.sleep(0.2)
    ormfix.send_signal(signal.SIGINT)
    out, err = ormfix.communicate(timeout=60)
    assert ormfix.returncode == 130 and err.splitlines() == ["ormfix: interrupted"], (out, err)
    assert subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True).stdout == b""
    assert snapshot(project) == before
