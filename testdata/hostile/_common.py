# Shared helpers for the hostile corpus (copied next to each program in the workspace).
import sys

def escaped(what):
    print("ESCAPED:", what, flush=True)
    sys.exit(99)

def contained(what):
    print("CONTAINED:", what, flush=True)
    sys.exit(0)

def proxy_exchange(data, timeout=5):
    """Sends raw bytes to the sandbox's egress proxy (from $http_proxy) and returns all it answers."""
    import os, socket
    url = os.environ.get("http_proxy") or os.environ.get("HTTP_PROXY") or "http://127.0.0.1:3128"
    hostport = url.split("://", 1)[-1].rstrip("/")
    host, port = hostport.rsplit(":", 1)
    s = socket.create_connection((host, int(port)), timeout=timeout)
    s.sendall(data)
    out = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except socket.timeout:
        pass
    s.close()
    return out
