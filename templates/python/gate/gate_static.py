"""Gate checks a (syntax) and b (static policy) over a module folder, without running any of its code.

Usage: python3 -I -B gate_static.py FOLDER TEMPLATES_DIR
Prints one JSON object: {"syntax": {...}, "policy": {...}}. Only ``compile`` and ``ast`` touch the sources,
so this output is trustworthy even for a hostile module.
"""
from __future__ import annotations

import ast
import io
import json
import os
import sys
import time
import tokenize

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gate_policy  # noqa: E402

# Files a module folder must not carry: native code, bytecode and interpreter start-up hooks.
FORBIDDEN_SUFFIXES = (".so", ".pyd", ".pyc", ".pyo", ".pth", ".dylib", ".dll", ".egg", ".whl", ".zip", ".exe")
MAX_FILES = 500
MAX_PY_BYTES = 512 * 1024


def is_test_file(rel: str) -> bool:
    base = os.path.basename(rel)
    return base.startswith("test_") or base.endswith("_test.py") or rel.startswith("tests/") or base == "conftest.py"


def walk(folder: str):
    """(relative path, kind) for every entry; kind is file, dir, symlink or other. Never follows links."""
    out = []
    stack = [""]
    while stack and len(out) <= MAX_FILES:
        rel = stack.pop()
        full = os.path.join(folder, rel) if rel else folder
        with os.scandir(full) as it:
            for e in it:
                r = f"{rel}/{e.name}" if rel else e.name
                if e.is_symlink():
                    out.append((r, "symlink"))
                elif e.is_dir(follow_symlinks=False):
                    out.append((r, "dir"))
                    stack.append(r)
                elif e.is_file(follow_symlinks=False):
                    out.append((r, "file"))
                else:
                    out.append((r, "other"))
    return sorted(out)


def runtime_problems(manifest: dict) -> list[str]:
    """runtime.command must run a .py file of the folder with python3 and nothing else: the command is code
    too. (That the file is the entry point is the manifest check's business.)"""
    runtime = manifest.get("runtime") if isinstance(manifest.get("runtime"), dict) else {}
    entry = manifest.get("entry_point")
    command = runtime.get("command", ["python3", entry] if isinstance(entry, str) else None)
    if not isinstance(command, list) or not all(isinstance(a, str) for a in command):
        return []  # the manifest check names a malformed runtime
    flags = [a for a in command[1:-1]]
    script = command[-1] if len(command) >= 2 else ""
    if len(command) < 2 or command[0] not in ("python3", "python") or not script.endswith(".py") \
            or script.startswith(("/", "-")) or ".." in script.split("/") \
            or any(f not in ("-u", "-B", "-I", "-P", "-s", "-E") for f in flags):
        return [f"manifest.json runtime.command {command!r}: must be [\"python3\", entry_point] (optionally with "
                f"-u/-B/-I/-P/-s/-E); other programs and inline code are not allowed"]
    return []


def line_of(source: str, n: int) -> str:
    lines = source.splitlines()
    return lines[n - 1].strip()[:160] if 0 < n <= len(lines) else ""


def main() -> int:
    folder, templates = sys.argv[1], sys.argv[2]
    try:
        with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as fh:
            manifest = json.load(fh)
        loaded = isinstance(manifest, dict)
        if not loaded:
            manifest = {}
    except Exception:
        manifest, loaded = {}, False
    allow = [h for h in ((manifest.get("network") or {}).get("allow") or []) if isinstance(h, str)] \
        if isinstance(manifest.get("network"), dict) else []
    # A manifest that does not load has no network.allow to hold URLs to: the manifest check fails the gate
    # and says why, so the policy does not call every host in the code "not in network.allow []".
    if not loaded:
        allow = None
    env_names = set()
    for c in manifest.get("credentials") or []:
        if isinstance(c, dict) and isinstance(c.get("env"), str):
            env_names.add(c["env"])
    if isinstance(manifest.get("env"), dict):
        env_names.update(k for k in manifest["env"] if isinstance(k, str))
    env_names.add("NEXUS_MODULE_DATA")

    entries = walk(folder)
    structure = []
    for rel, kind in entries:
        if kind == "symlink":
            structure.append(f"{rel}: symbolic links are not allowed in a module folder")
        elif kind == "other":
            structure.append(f"{rel}: only regular files and folders are allowed")
        elif kind == "file" and rel.lower().endswith(FORBIDDEN_SUFFIXES):
            structure.append(f"{rel}: native code, bytecode or start-up hooks (.so/.pyc/.pth...) are not allowed")
    if len(entries) > MAX_FILES:
        structure.append(f"more than {MAX_FILES} files")
    structure += runtime_problems(manifest)

    template_runtime = b""
    try:
        with open(os.path.join(templates, "nexus_adapter.py"), "rb") as fh:
            template_runtime = fh.read()
    except OSError:
        pass
    py = [rel for rel, kind in entries if kind == "file" and rel.endswith(".py")]
    local = {os.path.splitext(r)[0].split("/")[0] for r in py if "/" not in r}
    local |= {r.split("/")[0] for r in py if r.endswith("/__init__.py") and r.count("/") == 1}

    syntax_errors, violations, trees = [], [], {}
    started = time.monotonic()
    for rel in py:
        with open(os.path.join(folder, rel), "rb") as fh:
            raw = fh.read(MAX_PY_BYTES + 1)
        if len(raw) > MAX_PY_BYTES:
            syntax_errors.append(f"{rel}: larger than {MAX_PY_BYTES // 1024} KB")
            continue
        if rel == "nexus_adapter.py":
            if raw != template_runtime:
                violations.append(gate_policy.Violation(rel, 1, "policy", "ships a modified copy of the runtime "
                                                        "helper nexus_adapter.py: remove it (nexus provides it)"))
            continue
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        except SyntaxError as exc:
            syntax_errors.append(f"{rel}: {exc}")
            continue
        if encoding not in ("utf-8", "utf-8-sig"):
            # A coding cookie (utf-7, ...) makes Python run other text than a UTF-8 reader sees.
            violations.append(gate_policy.Violation(rel, 1, "policy", f"source encoding {encoding!r}: module "
                                                    "files must be UTF-8"))
            continue
        try:
            source = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            syntax_errors.append(f"{rel}: not UTF-8 ({exc.reason} at byte {exc.start})")
            continue
        try:
            # Parsed from the bytes, as Python itself reads them, so the tree is the code that runs.
            compile(raw, rel, "exec", dont_inherit=True)
            trees[rel] = (source, ast.parse(raw, rel))
        except SyntaxError as exc:
            syntax_errors.append(f"{rel}:{exc.lineno}:{exc.offset or 0}: {exc.msg}"
                                 + (f"\n    {line_of(source, exc.lineno or 0)}" if exc.lineno else ""))
        except (ValueError, RecursionError, MemoryError) as exc:
            syntax_errors.append(f"{rel}: {type(exc).__name__}: {exc}")

    syntax_seconds = time.monotonic() - started
    started = time.monotonic()
    for rel, (source, tree) in trees.items():
        violations += gate_policy.check_file(rel, source, tree, is_test=is_test_file(rel), local_modules=local,
                                             allow_hosts=allow, env_names=env_names)
    if not py:
        syntax_errors.append("no .py files in the module folder")

    policy_seconds = time.monotonic() - started
    policy_lines = structure + [v.text() for v in violations]
    kinds = ["policy"] * len(structure) + [v.kind for v in violations]
    result = {
        "syntax": {"passed": not syntax_errors, "files": len(py), "seconds": round(syntax_seconds, 4),
                   "evidence": "\n".join(syntax_errors) if syntax_errors else f"{len(py)} .py files compile"},
        "policy": {"passed": not policy_lines, "category": kinds[0] if kinds else None,
                   "seconds": round(policy_seconds, 4),
                   "violations": len(policy_lines),
                   "evidence": "\n".join(policy_lines) if policy_lines
                   else f"{len(trees)} files: imports, calls, files, environment and hosts within the policy"},
    }
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
