"""A hand-written MCP server (no nexus_adapter) whose tool declares a non-object inputSchema."""
import json
import sys


def answer(msg_id, result):
    sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": msg_id, "result": result}) + "\n")
    sys.stdout.flush()


TOOLS = [{"name": "lookup", "description": "Look a word up.", "inputSchema": {"type": "string"}}]

for line in sys.stdin:
    msg = json.loads(line)
    method, msg_id = msg.get("method"), msg.get("id")
    if method == "initialize":
        answer(msg_id, {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}},
                        "serverInfo": {"name": "handwritten", "version": "1.0.0"}})
    elif method == "tools/list":
        answer(msg_id, {"tools": TOOLS})
    elif method == "tools/call":
        args = msg["params"]["arguments"]
        word = args["word"]
        answer(msg_id, {"content": [{"type": "text", "text": word.upper()}]})
    elif method == "ping":
        answer(msg_id, {})
