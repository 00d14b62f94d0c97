"""Runs one module's unittest suite in this process and reports counts on a descriptor (gate check e/f).

Usage: python3 -I -B gate_child.py DIR TEST_FILE RESULT_FD TEMPLATES [failfast], or ``run()`` in a child
forked by gate_zygote.py (the usual way). Either way no run sees another's state or the parent's nonce.
The report goes to RESULT_FD, not stdout: whatever the module prints is evidence only.
"""
import json
import os
import sys

_write, _dumps, _exit, _close = os.write, json.dumps, os._exit, os.close  # before module code can patch them


def report(fd: int, payload: dict) -> None:
    data = _dumps(payload).encode()
    while data:
        n = _write(fd, data)
        data = data[n:]
    _close(fd)


def run(folder: str, test_file: str, fd: int, templates: str, failfast: bool) -> None:
    """Runs the suite in this process, reports on `fd` and ends the process."""
    if failfast:  # a mutant run: retry back-off and polling sleeps are cut short, the verdict is the same
        import time
        real_sleep = time.sleep
        time.sleep = lambda seconds: real_sleep(min(max(seconds, 0), 0.02))
    os.chdir(folder)
    sys.path[:0] = [folder, templates]
    import importlib.util
    import traceback
    import unittest

    payload = {"run": 0, "failures": 0, "errors": 0, "skipped": 0, "unexpected_successes": 0, "problems": []}

    class Result(unittest.TextTestResult):
        def _note(self, kind, test, err):
            if len(payload["problems"]) < 3:
                text = "".join(traceback.format_exception(*err))[-1500:]
                payload["problems"].append(f"{kind}: {test.id()}\n{text}")

        def addFailure(self, test, err):
            super().addFailure(test, err)
            self._note("FAIL", test, err)

        def addError(self, test, err):
            super().addError(test, err)
            self._note("ERROR", test, err)

    name = os.path.splitext(os.path.basename(test_file))[0]
    try:
        spec = importlib.util.spec_from_file_location(name, os.path.join(folder, test_file))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        suite = unittest.defaultTestLoader.loadTestsFromModule(module)
    except BaseException as exc:  # a test file that cannot even load is a failing suite
        payload["errors"] = 1
        payload["problems"].append(f"ERROR: loading {test_file}\n" + "".join(
            traceback.format_exception(type(exc), exc, exc.__traceback__))[-1500:])
        report(fd, payload)
        _exit(0)
    runner = unittest.TextTestRunner(stream=sys.stderr, verbosity=0, failfast=failfast, resultclass=Result)
    try:
        result = runner.run(suite)
        payload.update(run=result.testsRun, failures=len(result.failures), errors=len(result.errors),
                       skipped=len(result.skipped), unexpected_successes=len(result.unexpectedSuccesses))
    except BaseException as exc:
        payload["errors"] += 1
        payload["problems"].append(f"ERROR: the suite stopped: {type(exc).__name__}: {exc}"[:1500])
    report(fd, payload)
    _exit(0)


def main() -> None:
    run(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], len(sys.argv) > 5 and sys.argv[5] == "failfast")


if __name__ == "__main__":
    main()
