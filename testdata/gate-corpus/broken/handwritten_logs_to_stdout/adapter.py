"""A hand-written MCP server (no nexus_adapter) whose tool logs to stdout."""
import json
import sys


def answer(msg_id, result):
    sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": msg_id, "result": result}) + "\n")
    sys.stdout.flush()


TOOLS = [{"name": "lookup", "description": "Look a word up.", "inputSchema": {"type": "object", "properties": {"word": {"type": "string"}}, "required": ["word"]}}]

print("lookup server starting", flush=True)

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
        word = args.get("word")
        if not isinstance(word, str):
            answer(msg_id, {"content": [], "isError": True})
            continue
        answer(msg_id, {"content": [{"type": "text", "text": word.upper()}]})
    elif method == "ping":
        answer(msg_id, {})
