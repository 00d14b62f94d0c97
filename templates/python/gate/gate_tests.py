"""Gate checks e (the module's own tests pass, offline) and f (the tests have teeth: mutation score).

Usage: python3 -I -B gate_tests.py WORKSPACE TEMPLATES ENTRY_POINT TEST_FILE   (nonce on stdin)

This process never imports module code. It makes the mutants from the pristine adapter and copies the
folder once per run into the sandbox's private /tmp, then reads a nonce from stdin (nexus writes it once
the static checks pass, then closes the pipe; an empty stdin calls the run off), and runs each suite in a fresh interpreter (gate_child.py) that reports on a pipe. When every
run is over it kills whatever the runs left behind, then prints one line: the nonce, a space and the JSON
result. Module code never saw the nonce, so a line it prints (or writes to our stdout through /proc)
cannot pass for the result.
"""
from __future__ import annotations

import ast
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gate_mutate  # noqa: E402

RUN_TIMEOUT = 20.0
MUTANT_TIMEOUT = 12.0
OUTPUT_LIMIT = 4000
WORKERS = 2


def count_static_tests(folder: str, test_file: str) -> int:
    """test* methods in TestCase subclasses of the test file, read from its AST (a floor for the run count)."""
    try:
        with open(os.path.join(folder, test_file), encoding="utf-8") as fh:
            tree = ast.parse(fh.read())
    except Exception:
        return 0
    n = 0
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(
                (isinstance(b, ast.Attribute) and b.attr == "TestCase") or (isinstance(b, ast.Name) and
                                                                           b.id == "TestCase") for b in node.bases):
            n += sum(1 for f in node.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                     and f.name.startswith("test"))
    return n


def fast_runtime(templates: str) -> str:
    """The runtime helper with its retry back-off capped at 20 ms: mutants fail the same, only sooner."""
    with open(os.path.join(templates, "nexus_adapter.py"), encoding="utf-8") as fh:
        text = fh.read()
    return text.replace("time.sleep(max(0.0, seconds))", "time.sleep(min(max(0.0, seconds), 0.02))") \
               .replace("ev.wait(max(0.0, seconds))", "ev.wait(min(max(0.0, seconds), 0.02))")


def prepare(src: str, dst: str, templates: str, adapter: tuple[str, str] | None, runtime_text: str | None) -> None:
    shutil.copytree(src, dst, symlinks=True)
    runtime = os.path.join(dst, "nexus_adapter.py")
    if not os.path.exists(runtime):  # installed modules carry the runtime beside adapter.py; so does each run
        if runtime_text is None:
            shutil.copyfile(os.path.join(templates, "nexus_adapter.py"), runtime)
        else:
            with open(runtime, "w", encoding="utf-8") as fh:
                fh.write(runtime_text)
    if adapter:
        with open(os.path.join(dst, adapter[0]), "w", encoding="utf-8") as fh:
            fh.write(adapter[1])


def run_suite(folder: str, test_file: str, templates: str, timeout: float, failfast: bool, index: int) -> dict:
    """One suite in a fresh interpreter; the verdict comes from the child's report pipe, never its output."""
    read_fd, write_fd = os.pipe()
    data_dir = f"/tmp/gate-data-{index}"
    os.makedirs(data_dir, exist_ok=True)
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "TZ": "UTC", "HOME": data_dir,
           "PYTHONPATH": templates, "PYTHONDONTWRITEBYTECODE": "1", "NEXUS_MODULE_DATA": data_dir,
           "NEXUS_GATE": "1"}
    argv = [sys.executable, "-I", "-B", os.path.join(HERE, "gate_child.py"), folder, test_file, str(write_fd),
            templates] + (["failfast"] if failfast else [])
    start = time.monotonic()
    proc = subprocess.Popen(argv, cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, pass_fds=(write_fd,), start_new_session=True)
    os.close(write_fd)
    chunks: list[bytes] = []

    def pump_report():
        while True:
            b = os.read(read_fd, 65536)
            if not b:
                break
            if sum(len(c) for c in chunks) < 1 << 20:
                chunks.append(b)

    reader = threading.Thread(target=pump_report, daemon=True)
    reader.start()
    timed_out = False
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        output, _ = proc.communicate()
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # anything the suite started and left running
    except OSError:
        pass
    reader.join(2)
    os.close(read_fd)
    seconds = time.monotonic() - start
    out = {"seconds": round(seconds, 3), "exit": proc.returncode, "timed_out": timed_out,
           "output": output.decode("utf-8", "replace")[-OUTPUT_LIMIT:]}
    try:
        report = json.loads(b"".join(chunks).decode("utf-8"))
        out["report"] = report if isinstance(report, dict) else None
    except Exception:
        out["report"] = None
    return out


def verdict(run: dict) -> tuple[bool, str]:
    """(all tests passed, why not)."""
    if run["timed_out"]:
        return False, f"timed out after {RUN_TIMEOUT:.0f} s"
    r = run["report"]
    if r is None:
        return False, f"the suite ended before reporting (exit status {run['exit']})"
    if run["exit"] != 0:
        return False, f"the test process exited with status {run['exit']}"
    try:
        failed = int(r.get("failures", 0)) + int(r.get("errors", 0)) + int(r.get("unexpected_successes", 0))
        ran = int(r.get("run", 0))
    except (TypeError, ValueError):
        return False, "unreadable report"
    if ran == 0:
        return False, "no tests ran"
    if failed:
        return False, f"{failed} of {ran} tests failed"
    return True, ""


def main() -> int:
    workspace, templates, entry, test_file = sys.argv[1:5]
    result: dict = {"tests": {}, "mutation": {}}
    start = time.monotonic()

    # Preparation reads the module's files but runs none of its code: nexus starts it while the static
    # checks run, and only sends the nonce (the go-ahead) if they pass.
    static_count = count_static_tests(workspace, test_file)
    try:
        with open(os.path.join(workspace, entry), encoding="utf-8") as fh:
            source = fh.read()
        mutants = gate_mutate.make_mutants(source)
    except Exception as exc:
        source, mutants = None, []
        result["mutation"]["error"] = f"cannot make mutants of {entry}: {type(exc).__name__}: {exc}"
    root = "/tmp/gate-runs"
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    prepare(workspace, f"{root}/original", templates, None, None)
    fast = fast_runtime(templates)
    for i, m in enumerate(mutants):
        prepare(workspace, f"{root}/m{i}", templates, (entry, m.source), fast)

    nonce = sys.stdin.readline().strip()
    if not nonce:
        return 3  # called off: the static checks failed
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)

    # The original and the mutants share the workers: the mutants' verdicts only count if the original passes.
    jobs = [("original", -1)] + [(f"m{i}", i) for i in range(len(mutants))]
    runs: dict = {}
    lock = threading.Lock()
    mstart = time.monotonic()

    def worker():
        while True:
            with lock:
                if not jobs:
                    return
                name, i = jobs.pop(0)
            if i < 0:
                runs[name] = run_suite(f"{root}/original", test_file, templates, RUN_TIMEOUT, False, 0)
            else:
                runs[name] = run_suite(f"{root}/{name}", test_file, templates, MUTANT_TIMEOUT, True, i + 1)

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    original = runs["original"]
    ok, why = verdict(original)
    r = original["report"] or {}
    ran = r.get("run", 0) if isinstance(r.get("run", 0), int) else 0
    failed = sum(r.get(k, 0) for k in ("failures", "errors") if isinstance(r.get(k, 0), int))
    if ok and ran < static_count:
        ok, why = False, f"only {ran} of the {static_count} tests in {test_file} ran"
    result["tests"] = {"passed": ok, "why": why, "run": max(ran, static_count), "failed": failed,
                       "passed_count": max(ran - failed, 0) if original["report"] else 0,
                       "skipped": r.get("skipped", 0), "problems": (r.get("problems") or [])[:3],
                       "output": original["output"][-1500:], "seconds": original["seconds"]}
    survived = [verdict(runs[f"m{i}"])[0] for i in range(len(mutants))]
    survivors = [m.describe() for m, s in zip(mutants, survived) if s]
    result["mutation"].update({"made": len(mutants), "killed": len(mutants) - len(survivors) if ok else 0,
                               "survivors": survivors if ok else [], "mutants": [m.describe() for m in mutants],
                               "not_run": not ok, "run_seconds": [runs[f"m{i}"]["seconds"] for i in
                                                                  range(len(mutants))],
                               "seconds": round(time.monotonic() - mstart, 3)})

    # Whatever the suites left behind (daemons, forks) dies before the result is written.
    if os.getppid() == 1 and os.getpid() <= 3:  # only inside the sandbox's own pid namespace
        try:
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
    result["seconds"] = round(time.monotonic() - start, 3)
    sys.stdout.write(nonce + " " + json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
