#!/usr/bin/env python3
"""Runs ~20 stdio MCP servers from PyPI under nexus and under the reference Python client side by side.

Usage: scripts/mcp-sweep.py [--root DIR] [--nexus PATH] [--only NAME,...] [--markdown FILE] [--budget SECONDS]

For each server it:
  1. installs the package into its own venv of /usr/bin/python3 under ROOT/venvs (skipped when present; never
     under $HOME, since the sandbox never mounts the home directory);
  2. lists its tools and makes one read-only call with the reference client (`mcp` 2.x `stdio_client` +
     `ClientSession`, from a venv at ROOT/ref);
  3. installs it as a module (`nexus modules install mcp --name N --yes [--read P] [--write P] [--env K=V] -- CMD`,
     grant flags only when this nexus has them), runs `nexus modules test N`, and makes the same call through
     a real turn (`nexus chat -p ... --json --yes` against the scripted fake provider, `nexus-fake-provider`
     built beside nexus);
  4. when the reference run fails with the known mcp 2.x crash, does it all again with the package on `mcp<2`.
Then it prints a table (server, lists under reference, lists under nexus, call under both, error) and, with
--markdown, writes it there. Everything (venvs, fixtures, nexus homes) stays under ROOT (default /opt/mcp-sweep).
Needs only the standard library; the reference side runs this same file under ROOT/ref/bin/python.
"""
import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# What a server written for mcp 1.x prints when it dies under 2.x (the last one is a server's own catch of the
# failed import); such a server is swept again with `mcp<2`.
MCP2_SIGNATURES = ("This is mcp 2.x", "No module named 'mcp.server.fastmcp'", "'Server' object has no attribute '",
                   "cannot import name 'McpError'", "MCP not installed. Install with: pip install mcp[cli]")

# name: module name; pkg: PyPI package; cmd: executable in the venv's bin and its arguments; call: a read-only
# tool and its arguments; read/write: paths the server needs (granted with --read/--write when nexus has them);
# env: settings; memory_mb: a memory limit for `--memory`. "{work}" is the server's fixture folder, "{port}" the loopback HTTP server's port.
SERVERS = [
    dict(name="time", pkg="mcp-server-time", cmd=["mcp-server-time", "--local-timezone", "UTC"],
         call=("get_current_time", {"timezone": "UTC"})),
    dict(name="git", pkg="mcp-server-git", cmd=["mcp-server-git", "--repository", "{work}/repo"],
         call=("git_log", {"repo_path": "{work}/repo", "max_count": 1}), read=["{work}/repo"]),
    dict(name="fetch", pkg="mcp-server-fetch",
         cmd=["mcp-server-fetch", "--ignore-robots-txt", "--allow-private-ips"],
         call=("fetch", {"url": "http://127.0.0.1:{port}/page.html", "max_length": 200}),
         allow=["127.0.0.1:{port}"]),
    dict(name="sqlite", pkg="mcp-server-sqlite", cmd=["mcp-server-sqlite", "--db-path", "{work}/test.db"],
         call=("read_query", {"query": "select name from pets"}), write=["{work}"]),
    dict(name="calculator", pkg="mcp-server-calculator", cmd=["mcp-server-calculator"],
         call=("calculate", {"expression": "6*7"})),
    dict(name="analyzer", pkg="mcp-server-analyzer", cmd=["mcp-server-analyzer"],
         call=("ruff-check", {"code": "import os\n"})),
    dict(name="shell", pkg="mcp-shell-server", cmd=["mcp-shell-server"], env={"ALLOW_COMMANDS": "echo,ls"},
         call=("shell_execute", {"command": ["ls", "{work}"], "directory": "{work}"}), read=["{work}"]),
    dict(name="excel", pkg="excel-mcp-server", cmd=["excel-mcp-server", "stdio"],
         call=("describe_sheet", {"path": "{work}/book.xlsx", "sheet": "Sheet"}), write=["{work}"]),
    dict(name="word", pkg="office-word-mcp-server", cmd=["word_mcp_server"],
         call=("get_document_text", {"filename": "{work}/doc.docx"}), write=["{work}"]),
    dict(name="duckdb", pkg="mcp-server-duckdb", cmd=["mcp-server-duckdb", "--db-path", "{work}/d.duckdb", "--readonly"],
         call=("query", {"query": "select 42 as answer"}), read=["{work}"]),
    dict(name="texteditor", pkg="mcp-text-editor", cmd=["mcp-text-editor"],
         call=("get_text_file_contents", {"files": [{"file_path": "{work}/notes.txt", "ranges": [{"start": 1}]}]}),
         read=["{work}"]),
    dict(name="bmi", pkg="mcp-server-bmi-calculator", cmd=["mcp-server-bmi-calculator"],
         call=("calculate_bmi", {"height": 1.75, "weight": 70})),
    dict(name="converter", pkg="mcp-server-converter", cmd=["mcp-server-converter"],
         call=("convert", {"expression": "1 km to m"})),
    dict(name="codeextractor", pkg="mcp-server-code-extractor", cmd=["mcp-server-code-extractor"], call=None),
    dict(name="codetree", pkg="mcp-server-codetree", cmd=["codetree", "--root", "{work}"], call=None,
         write=["{work}"]),  # it keeps its index in ROOT/.codetree: a write grant, as a user would give
    dict(name="treesitter", pkg="mcp-server-tree-sitter", cmd=["mcp-server-tree-sitter"], call=None),
    dict(name="calcyf", pkg="mcp-server-calculator-yf", cmd=["mcp-server-calculator-yf"], call=None),
    dict(name="math", pkg="mcp-server-math", cmd=["mcp-server-math"], call=None),
    dict(name="arxiv", pkg="mcp-simple-arxiv", cmd=["mcp-simple-arxiv"], call=None,
         memory_mb=8192),  # torch maps large segments: the limit is address space, not resident memory
    dict(name="markitdown", pkg="markitdown-mcp", cmd=["markitdown-mcp"],
         call=("convert_to_markdown", {"uri": "file://{work}/notes.txt"}), read=["{work}"],
         memory_mb=2048),  # onnxruntime needs more than the 512 MB default: what a user gives it at install
]


def run(cmd, timeout=120, env=None, cwd=None):
    """(exit status, stdout, stderr) of `cmd`; 124 and a note on timeout."""
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        return 124, out, "timed out after %d s" % timeout
    except OSError as e:
        return 127, "", str(e)


def last_line(text, width=150):
    lines = [l.strip() for l in (text or "").splitlines() if l.strip()]
    return (lines[-1] if lines else "")[:width]


def fill(value, work, port):
    if isinstance(value, str):
        return value.replace("{work}", work).replace("{port}", str(port))
    if isinstance(value, list):
        return [fill(v, work, port) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, work, port) for k, v in value.items()}
    return value


def install(root, pkg, pin=None):
    """The venv for `pkg` (with `pin`, e.g. "mcp<2"), installed once; (venv, error)."""
    venv = os.path.join(root, "venvs", pkg + ("@mcp1" if pin else ""))
    if os.path.exists(os.path.join(venv, ".ok")):
        return venv, None
    if not os.path.exists(os.path.join(venv, "bin", "python")):
        rc, _, err = run(["/usr/bin/python3", "-m", "venv", venv])
        if rc != 0:
            return venv, "venv: " + last_line(err)
    rc, _, err = run([venv + "/bin/pip", "install", "-q", "--disable-pip-version-check", pkg] + ([pin] if pin else []),
                     timeout=900)
    if rc != 0:
        return venv, "pip: " + last_line(err)
    open(os.path.join(venv, ".ok"), "w").close()
    return venv, None


def make_fixtures(work, venv):
    """The files the read-only calls look at: a git repository, a SQLite and a DuckDB database, a text file,
    a workbook and a document (the last three made with the server's own libraries, when it has them)."""
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "notes.txt"), "w") as f:
        f.write("hello from the sweep\nsecond line\n")
    repo = os.path.join(work, "repo")
    if not os.path.isdir(os.path.join(repo, ".git")):
        os.makedirs(repo, exist_ok=True)
        g = ["git", "-C", repo, "-c", "user.name=sweep", "-c", "user.email=sweep@localhost"]
        run(["git", "init", "-q", repo])
        with open(os.path.join(repo, "README"), "w") as f:
            f.write("sweep\n")
        run(g + ["add", "README"])
        run(g + ["commit", "-q", "-m", "first commit"])
    db = os.path.join(work, "test.db")
    if not os.path.exists(db):
        c = sqlite3.connect(db)
        c.execute("create table pets(name text)")
        c.execute("insert into pets values ('rex')")
        c.commit()
        c.close()
    py = os.path.join(venv, "bin", "python")
    run([py, "-c", "import openpyxl; wb=openpyxl.Workbook(); wb.active.title='Sheet'; wb.active['A1']=42; "
         "wb.save(%r)" % os.path.join(work, "book.xlsx")])
    run([py, "-c", "import docx; d=docx.Document(); d.add_paragraph('hello from the sweep'); d.save(%r)"
         % os.path.join(work, "doc.docx")])
    run([py, "-c", "import duckdb; duckdb.connect(%r).close()" % os.path.join(work, "d.duckdb")])
    os.chmod(work, 0o755)


# ---- the reference side (runs under ROOT/ref/bin/python with mcp 2.x) ----

def reference_main(spec_json):
    import anyio
    from mcp import ClientSession, StdioServerParameters, stdio_client

    spec = json.loads(spec_json)
    out = {"lists": None, "call": None, "error": ""}

    async def go():
        params = StdioServerParameters(command=spec["cmd"][0], args=spec["cmd"][1:], env=spec.get("env") or None,
                                       cwd=spec["work"])
        with open(spec["stderr"], "w") as errlog:
            with anyio.fail_after(90):
                async with stdio_client(params, errlog=errlog) as (r, w):
                    async with ClientSession(r, w) as s:
                        await s.initialize()
                        tools = (await s.list_tools()).tools
                        out["lists"] = len(tools)
                        out["tools"] = [t.name for t in tools]
                        if spec.get("call"):
                            name, args = spec["call"]
                            res = await s.call_tool(name, args)
                            is_error = getattr(res, "is_error", None)
                            if is_error is None:
                                is_error = getattr(res, "isError", False)
                            texts = [getattr(c, "text", "") or "" for c in res.content]
                            out["call"] = not is_error
                            out["result"] = " ".join(texts)[:300]

    try:
        anyio.run(go)
    except BaseException as e:  # noqa: BLE001 - the table wants whatever happened, including a group
        inner = e
        while getattr(inner, "exceptions", None):
            inner = inner.exceptions[0]
        out["error"] = ("%s: %s" % (type(inner).__name__, inner))[:300]
    print(json.dumps(out))


def reference(root, cmd, env, work, call):
    ref = os.path.join(root, "ref", "bin", "python")
    stderr = os.path.join(work, "reference.stderr")
    spec = dict(cmd=cmd, env=env, work=work, call=call, stderr=stderr)
    rc, out, err = run([ref, os.path.abspath(__file__), "--reference", json.dumps(spec)], timeout=150)
    try:
        r = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        r = {"lists": None, "call": None, "error": last_line(err) or "reference client exited %d" % rc}
    try:
        with open(stderr) as f:
            r["stderr"] = f.read()[-4000:]
    except OSError:
        r["stderr"] = ""
    return r


# ---- the nexus side ----

def nexus_has(nexus, flag):
    _, out, err = run([nexus, "modules", "install", "--help"], timeout=30)
    return flag in out + err


def fake_provider(nexus, work, tool, args):
    """Starts `nexus-fake-provider` (beside `nexus`) scripted to call `tool` once; (process, config path) or (None, error)."""
    script = os.path.join(work, "fake-script.json")
    with open(script, "w") as f:
        json.dump({"replies": [{"tool_call": {"name": tool, "arguments": args}}, {"text": "done"}]}, f)
    log = open(os.path.join(work, "fake-provider.out"), "w+")
    p = subprocess.Popen([os.path.join(os.path.dirname(nexus), "nexus-fake-provider"), "--protocol", "openai",
                          "--script", script], stdout=log,
                         stderr=subprocess.STDOUT)
    base = None
    for _ in range(200):
        log.seek(0)
        for line in log.read().splitlines():
            if line.startswith("base_url "):
                base = line.split(" ", 1)[1]
        if base or p.poll() is not None:
            break
        time.sleep(0.05)
    if not base:
        p.kill()
        return None, "the fake provider did not start"
    # Not in `work`: the servers' grants live there, and nexus never grants its own config directory (the vault
    # key sits beside nexus.toml), so a config there made every granted module refuse to start.
    cfg_dir = os.path.join(os.path.dirname(os.path.dirname(work)), "configs", os.path.basename(work))
    os.makedirs(cfg_dir, exist_ok=True)
    cfg = os.path.join(cfg_dir, "nexus.toml")
    tasks = ["code_generation", "test_validation", "classification", "complex_reasoning", "simple_query",
             "google_api", "build_module"]
    with open(cfg, "w") as f:
        f.write('[providers.fake]\nkind = "openai"\nbase_url = "%s"\n\n[routing]\n' % base)
        f.write("".join('%s = "fake:fake-model"\n' % t for t in tasks))
    return p, cfg


def under_nexus(nexus, root, s, cmd, env, work, call, grants):
    name = s["name"]
    home = os.path.join(root, "homes", name)
    shutil.rmtree(home, ignore_errors=True)
    r = {"installed": False, "lists": None, "call": None, "error": ""}
    extra = []
    for flag, key in (("--read", "read"), ("--write", "write")):
        if grants.get(flag):
            for path in s.get(key, []):
                extra += [flag, path]
    if grants.get("--env"):
        for k, v in (env or {}).items():
            extra += ["--env", "%s=%s" % (k, v)]
    for host in s.get("allow", []):
        extra += ["--allow", host]
    if grants.get("--memory") and s.get("memory_mb"):
        extra += ["--memory", str(s["memory_mb"])]
    rc, out, err = run([nexus, "modules", "install", "--home", home, "mcp", "--name", name, "--yes"] + extra
                       + ["--"] + cmd, timeout=180)
    if rc != 0:
        r["error"] = "install: " + last_line(err or out)
        return r
    r["installed"] = True
    rc, out, err = run([nexus, "modules", "test", "--home", home, name], timeout=180)
    text = out + err
    found = re.search(r"(\d+) tools?\b", text)
    if rc == 0 and found:
        r["lists"] = int(found.group(1))
    else:
        first = next((l.strip() for l in text.splitlines() if l.strip()), "exit status %d" % rc)
        r["error"] = "test: " + first[:300]
        r["log"] = read_tail(os.path.join(home, "logs", "modules", name + ".log"))
        return r
    if call:
        p, cfg = fake_provider(nexus, work, "%s__%s" % (name, call[0]), call[1])
        if p is None:
            r["error"] = cfg
            return r
        try:
            rc, out, err = run([nexus, "chat", "--home", home, "--config", cfg, "-p", "run the tool", "--json",
                                "--yes"], timeout=180)
        finally:
            p.kill()
            p.wait()
        for line in out.splitlines():
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            if ev.get("type") == "tool_result":
                r["call"] = not ev.get("is_error")
                r["result"] = ev.get("content", "")[:300]
                if ev.get("is_error"):
                    r["error"] = "call: " + last_line(ev.get("content", ""), 200)
        if r["call"] is None:
            r["error"] = "call: no tool result (%s)" % last_line(err or out)
        r["log"] = read_tail(os.path.join(home, "logs", "modules", name + ".log"))
    return r


def read_tail(path, n=3000):
    try:
        with open(path, errors="replace") as f:
            return f.read()[-n:]
    except OSError:
        return ""


def mark(v):
    return "-" if v is None else ("yes" if v else "NO")


def sweep_one(args, s, grants, port, pin=None):
    label = s["pkg"] + (" (mcp<2)" if pin else "")
    venv, problem = install(args.root, s["pkg"], pin)
    row = dict(server=label, ref_lists=None, nexus_lists=None, ref_call=None, nexus_call=None, error="")
    if problem:
        row["error"] = problem
        return row, None
    work = os.path.join(args.root, "work", s["name"] + ("-mcp1" if pin else ""))
    make_fixtures(work, venv)
    cmd = [os.path.join(venv, "bin", s["cmd"][0])] + fill(s["cmd"][1:], work, port)
    call = s.get("call")
    call = (call[0], fill(call[1], work, port)) if call else None
    env = s.get("env")
    # As a user who activated the venv would run it: its bin first on PATH (mcp-server-analyzer runs ruff).
    ref_env = dict(env or {}, PATH=os.path.join(venv, "bin") + ":" + os.environ.get("PATH", "/usr/bin:/bin"))
    ref = reference(args.root, cmd, ref_env, work, call)
    row["ref_lists"] = ref.get("lists")
    row["ref_call"] = ref.get("call") if call else None
    nx = under_nexus(args.nexus, args.root, dict(s, read=fill(s.get("read", []), work, port),
                     write=fill(s.get("write", []), work, port), allow=fill(s.get("allow", []), work, port)),
                     cmd, env, work, call, grants)
    row["nexus_lists"] = nx.get("lists")
    row["nexus_call"] = nx.get("call") if call else None
    errors = []
    # A server that reports a missing file as a plain result (office-word) "succeeds": count it as failed when
    # the reference client got the file and nexus did not.
    missing = ("does not exist", "not found", "No such file", "Permission denied", "Read-only file system")
    nexus_text, ref_text = nx.get("result", ""), ref.get("result", "")
    if nx.get("call") and any(m in nexus_text for m in missing) and not any(m in ref_text for m in missing):
        row["nexus_call"] = False
        nx["error"] = "call: " + last_line(nexus_text, 200)
    if ref.get("error") or (call and ref.get("call") is False):
        errors.append("ref: " + (ref.get("error") or last_line(ref.get("result", ""))) + ref_stderr_hint(ref))
    if nx.get("error"):
        errors.append("nexus: " + nx["error"])
    row["error"] = "; ".join(errors)
    row["details"] = dict(reference=ref, nexus=nx)
    return row, ref


def ref_stderr_hint(ref):
    line = last_line(ref.get("stderr", ""))
    return " [stderr: %s]" % line if line and ref.get("lists") is None else ""


def table(rows):
    head = "| server | lists (reference) | lists (nexus) | call (reference) | call (nexus) | error |"
    out = [head, "|---|---|---|---|---|---|"]
    for r in rows:
        lists = lambda v: "-" if v is None else str(v)  # noqa: E731
        out.append("| %s | %s | %s | %s | %s | %s |" % (
            r["server"], lists(r["ref_lists"]), lists(r["nexus_lists"]), mark(r["ref_call"]), mark(r["nexus_call"]),
            r["error"].replace("|", "\\|").replace("\n", " ")[:400]))
    return "\n".join(out)


def serve_page(root):
    """A loopback HTTP server for mcp-server-fetch's call; returns its port."""
    import http.server
    import threading
    site = os.path.join(root, "site")
    os.makedirs(site, exist_ok=True)
    with open(os.path.join(site, "page.html"), "w") as f:
        f.write("<html><body><h1>Sweep page</h1><p>hello from loopback</p></body></html>")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):
            super().__init__(*a, directory=site, **k)

        def log_message(self, *a):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd.server_address[1]


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--reference":
        reference_main(sys.argv[2])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.environ.get("MCP_SWEEP_ROOT", "/opt/mcp-sweep"))
    ap.add_argument("--nexus", default=os.path.join(REPO, ".build", "debug", "nexus"))
    ap.add_argument("--only", default="", help="comma-separated module names (time,git,...)")
    ap.add_argument("--markdown", help="write the table (and details as JSON next to it) here")
    ap.add_argument("--budget", type=float, default=1500, help="stop starting servers after this many seconds")
    args = ap.parse_args()
    home = os.path.realpath(os.path.expanduser("~"))
    if os.path.realpath(args.root).startswith(home + "/"):
        sys.exit("mcp-sweep: --root must be outside the home directory (the sandbox does not mount it)")
    if not os.access(args.nexus, os.X_OK):
        sys.exit("mcp-sweep: no nexus binary at %s (swift build first)" % args.nexus)
    ref = os.path.join(args.root, "ref")
    if not os.path.exists(os.path.join(ref, ".ok")):
        run(["/usr/bin/python3", "-m", "venv", ref])
        rc, _, err = run([ref + "/bin/pip", "install", "-q", "--disable-pip-version-check", "mcp>=2,<3"], timeout=900)
        if rc != 0:
            sys.exit("mcp-sweep: could not install the reference client (mcp 2.x): " + last_line(err))
        open(os.path.join(ref, ".ok"), "w").close()
    grants = {f: nexus_has(args.nexus, f) for f in ("--read", "--write", "--env", "--memory")}
    port = serve_page(args.root)
    only = set(filter(None, args.only.split(",")))
    rows = []
    start = time.time()
    for s in SERVERS:
        if only and s["name"] not in only:
            continue
        if time.time() - start > args.budget:
            rows.append(dict(server=s["pkg"], ref_lists=None, nexus_lists=None, ref_call=None, nexus_call=None,
                             error="not run: the time budget was spent"))
            continue
        row, ref = sweep_one(args, s, grants, port)
        rows.append(row)
        print(table([row]).splitlines()[-1], flush=True)
        if ref is not None and ref.get("lists") is None and any(sig in ref.get("stderr", "") for sig in MCP2_SIGNATURES):
            row2, _ = sweep_one(args, s, grants, port, pin="mcp<2")
            rows.append(row2)
            print(table([row2]).splitlines()[-1], flush=True)
    print()
    print("grants this nexus has: " + (", ".join(f for f, ok in grants.items() if ok) or "none"))
    print(table(rows))
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table(rows) + "\n")
        with open(args.markdown + ".json", "w") as f:
            json.dump(rows, f, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
