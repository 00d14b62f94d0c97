#!/usr/bin/env python3
"""Captures the exact tool lists of the MCP servers that run here into real_servers.json.

Usage: list_real_servers.py VENV_BIN_DIR [SQLITE_VENV_BIN_DIR]  (venvs with mcp-server-time, -git, -fetch, -sqlite).
mcp-server-sqlite 2025.4.25 needs mcp==1.6.0 and pydantic<2.11 (newer mcp lacks Server.list_resources), hence
its own venv.
Speaks MCP over stdio directly (initialize, initialized, tools/list), so it needs no client library.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def tools_of(argv):
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    def send(obj):
        p.stdin.write(json.dumps(obj) + "\n")
        p.stdin.flush()

    def reply(want_id):
        while True:
            line = p.stdout.readline()
            if not line:
                raise RuntimeError(f"{argv[0]} closed its output")
            msg = json.loads(line)
            if msg.get("id") == want_id:
                return msg

    send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-03-26", "capabilities": {}, "clientInfo": {"name": "picker-bench", "version": "1"}}})
    reply(1)
    send({"jsonrpc": "2.0", "method": "notifications/initialized"})
    send({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
    tools = reply(2)["result"]["tools"]
    p.kill()
    return [{"name": t["name"], "description": t.get("description", ""), "inputSchema": t.get("inputSchema", {})}
            for t in tools]


def main():
    bin_dir = sys.argv[1]
    sqlite_bin = sys.argv[2] if len(sys.argv) > 2 else bin_dir
    repo = tempfile.mkdtemp()
    subprocess.run(["git", "init", "-q", repo], check=True)
    db = os.path.join(tempfile.mkdtemp(), "bench.db")
    servers = {
        "time": [os.path.join(bin_dir, "mcp-server-time")],
        "git": [os.path.join(bin_dir, "mcp-server-git"), "--repository", repo],
        "fetch": [os.path.join(bin_dir, "mcp-server-fetch")],
        "sqlite": [os.path.join(sqlite_bin, "mcp-server-sqlite"), "--db-path", db],
    }
    out = {name: tools_of(argv) for name, argv in servers.items()}
    with open(os.path.join(HERE, "real_servers.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print({k: len(v) for k, v in out.items()})


if __name__ == "__main__":
    main()
