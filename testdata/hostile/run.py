#!/usr/bin/env python3
"""Runs the hostile corpus through `nexus sandbox exec` under every mode each program lists, and
checks each verdict (see README.md). Usage: run.py [--nexus PATH] [--jobs N] [NAME...]
Exit 0 when every verdict is as expected."""
import concurrent.futures, glob, http.server, json, os, shutil, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
SECRET = "HOSTILE_HOST_SECRET=do-not-leak-7f3a"


def parse(path):
    meta = {"modes": [], "expect": None, "flags": "", "desc": "", "tier": "", "needs": "", "setup": ""}
    for line in open(path):
        if not line.startswith("#"):
            if line.strip() and not line.startswith("#!"):
                break
            continue
        body = line[1:].strip()
        for key in ("hostile", "modes", "expect", "flags", "tier", "needs", "setup"):
            if body.startswith(key + ":"):
                val = body[len(key) + 1:].strip()
                if key == "modes":
                    meta["modes"] = val.split()
                elif key == "hostile":
                    meta["desc"] = val
                else:
                    meta[key] = val
    return meta


def serve(port_holder):
    root = tempfile.mkdtemp(prefix="hostile-www-")
    open(os.path.join(root, "index.txt"), "w").write("hostile-ok\n")
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=root, **k)
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    port_holder.append(srv.server_address[1])
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def survivors(token):
    found = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                if token.encode() in open("/proc/%s/cmdline" % p, "rb").read():
                    found.append(int(p))
            except OSError:
                pass
    return found


def run_one(nexus, prog, mode, meta, port):
    name = os.path.basename(prog)
    work = tempfile.mkdtemp(prefix="hostile-")
    ws = os.path.join(work, "ws")
    os.mkdir(ws)
    shutil.copy(prog, ws)
    shutil.copy(os.path.join(HERE, "_common.py"), ws)
    token = "hostile-token-%d-%s-%s" % (os.getpid(), mode, name.replace(".", "-"))
    expect = meta["expect"]
    timeout = 2 if expect == "timeout" else 10
    rj = os.path.join(work, "result.json")
    interp = ["sh"] if name.endswith(".sh") else ["python3"]
    cmd = [nexus, "sandbox", "exec", "--mode", mode, "--workspace", ws, "--capture", "--result-json", rj,
           "--timeout", str(timeout), "--audit-log", os.path.join(work, "audit.jsonl"),
           "--env", "HOSTILE_PORT=%d" % port, "--env", "HOSTILE_TOKEN=" + token]
    if mode != "exec":
        cmd += meta["flags"].replace("{port}", str(port)).split()
    if meta["tier"]:
        cmd += ["--tier", meta["tier"]]
        os.chmod(work, 0o711)  # tier B's uid of its own must pass through to the workspace
    if meta["setup"] == "root-only-tree":
        tree = os.path.join(work, "tree")
        os.mkdir(tree)
        open(os.path.join(tree, "public.txt"), "w").write("public\n")
        secret = os.path.join(tree, "root-only.txt")
        open(secret, "w").write("root-secret\n")
        os.chmod(secret, 0o600)
        cmd += ["--ro-path", tree, "--env", "HOSTILE_TREE=" + tree]
    # Tier B has no mount namespace (no /workspace): the program runs from its cwd, the workspace.
    cmd += ["--"] + interp + [name if meta["tier"] == "B" else "/workspace/" + name]
    env = dict(os.environ)
    env[SECRET.split("=")[0]] = SECRET.split("=")[1]
    t0 = time.time()
    problems = []
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout + 25, env=env)
    except subprocess.TimeoutExpired:
        return (name, mode, ["nexus did not return within %ds (unresponsive)" % (timeout + 25)], 0)
    elapsed = time.time() - t0
    try:
        r = json.load(open(rj))
    except (OSError, ValueError) as e:
        return (name, mode, ["no result json (%s); stderr: %s" % (e, proc.stderr.decode()[-300:])], elapsed)
    out = r["stdout"]
    if "ESCAPED" in out:
        problems.append("escaped: " + out[out.index("ESCAPED"):][:200])
    if expect in ("contained", "blocked"):
        if r["outcome"] != "exited" or r["exit_code"] != 0 or "CONTAINED" not in out:
            problems.append("expected contained, got %s exit=%s limit=%s stdout=%r stderr=%r" % (
                r["outcome"], r["exit_code"], r["limit_hit"], out[-200:], r["stderr"][-300:]))
        if expect == "blocked" and r["blocked_network"] < 1:
            problems.append("expected a blocked network attempt in the result")
    elif expect == "timeout":
        if r["outcome"] != "timeout":
            problems.append("expected timeout, got %s exit=%s" % (r["outcome"], r["exit_code"]))
        if elapsed > timeout + 10:
            problems.append("timeout took %.1fs" % elapsed)
    elif expect and expect.startswith("limit:"):
        if r["limit_hit"] != expect[6:]:
            problems.append("expected %s, got limit_hit=%s outcome=%s exit=%s stderr=%r" % (
                expect, r["limit_hit"], r["outcome"], r["exit_code"], r["stderr"][-200:]))
    else:
        problems.append("unknown expectation %r" % expect)
    if len(out) > 256 * 1024:
        problems.append("captured stdout not bounded: %d chars" % len(out))
    if SECRET.split("=")[1] in out + r["stderr"]:
        problems.append("host secret leaked into output")
    time.sleep(0.05)
    left = survivors(token)
    if left:
        problems.append("processes outlived the sandbox: %s" % left)
        for p in left:
            try:
                os.kill(p, 9)
            except OSError:
                pass
    shutil.rmtree(work, ignore_errors=True)
    return (name, mode, problems, elapsed)


def main():
    args = sys.argv[1:]
    nexus = os.path.join(HERE, "..", "..", ".build", "debug", "nexus")
    jobs = 3
    names = []
    while args:
        a = args.pop(0)
        if a == "--nexus":
            nexus = args.pop(0)
        elif a == "--jobs":
            jobs = int(args.pop(0))
        else:
            names.append(a)
    nexus = os.path.abspath(nexus)
    if not os.access(nexus, os.X_OK):
        print("hostile corpus: SKIP: %s not built" % nexus)
        return 0
    progs = sorted(p for p in glob.glob(os.path.join(HERE, "*")) if p.endswith((".py", ".sh"))
                   and not os.path.basename(p).startswith(("_", "run")))
    if names:
        progs = [p for p in progs if any(n in os.path.basename(p) for n in names)]
    port = []
    srv = serve(port)
    cases = []
    for p in progs:
        meta = parse(p)
        if meta["needs"] == "root" and os.geteuid() != 0:
            print("skip %-36s (needs root)" % os.path.basename(p))
            continue
        for m in meta["modes"]:
            cases.append((p, m, meta))
    start = time.time()
    failures = 0
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        futs = [pool.submit(run_one, nexus, p, m, meta, port[0]) for p, m, meta in cases]
        for f in concurrent.futures.as_completed(futs):
            name, mode, problems, elapsed = f.result()
            status = "ok" if not problems else "FAIL"
            print("%-4s %-36s %-11s %5.2fs %s" % (status, name, mode, elapsed, "; ".join(problems)), flush=True)
            failures += bool(problems)
    # The host stays healthy: nothing written where the corpus aimed, and nexus still answers.
    for path in ["/etc/hostile-symlink", "/usr/lib/hostile-symlink", "/root/.bashrc.hostile"] + glob.glob("/etc/hostile-*") + glob.glob("/usr/hostile-*") + glob.glob("/hostile-*"):
        if os.path.exists(path):
            print("FAIL host file created: " + path)
            failures += 1
    t = time.time()
    probe = subprocess.run([nexus, "sandbox", "probe"], capture_output=True, timeout=10)
    if probe.returncode != 0 or time.time() - t > 5:
        print("FAIL nexus unresponsive after the corpus")
        failures += 1
    srv.shutdown()
    print("hostile corpus: %d programs, %d runs, %d failures, %.1fs" % (len(progs), len(cases), failures, time.time() - start))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
