#!/usr/bin/env python3
"""Baselines for the picker benchmark on the same data: plain BM25 and an embedding retriever (all-MiniLM-L6-v2 by
default; the row is named after the model the server says it ran, so other local embedders compare the same way).

Data: testdata/picker/tools.jsonl (+ bench/toolpicker/catalog.jsonl less the apps tools.jsonl has, as distractors),
turns in testdata/picker/{tuning,holdout}.jsonl. MiniLM vectors come from an OpenAI-compatible /v1/embeddings
endpoint (scripts/minilm-embed.py serve --cache ...), so the Swift picker and this script embed the same text the
same way. Prints recall@1, recall@5 and MRR per set, as a Markdown table.

  python3 bench/picker/baselines.py [--url http://127.0.0.1:8089/v1/embeddings] [--no-embeddings] [--text KIND]
"""
import argparse
import json
import math
import os
import re
import sys
import urllib.request
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def catalogue(with_distractors):
    real = load(os.path.join(ROOT, "testdata/picker/tools.jsonl"))
    if not with_distractors:
        return real
    apps = {t["name"].split("__")[0] for t in real}
    extra = [t for t in load(os.path.join(ROOT, "bench/toolpicker/catalog.jsonl")) if t["name"].split("__")[0] not in apps]
    return real + extra


def named_text(tool):
    """The old form, "<app words> <tool words>: <description, 1,000 chars at most>" (nexus's until session 7)."""
    name = tool["name"]
    ns, sep, local = name.rpartition("__")
    words = " ".join(p.replace("_", " ") for p in (ns, local) if p)
    return f"{words}: {tool.get('description', '')[:1000]}"


def embedding_text(tool):
    """Must match ToolText.embedding(of:) in Swift: the description (1,000 characters at most), or the app and tool
    words for a tool without one."""
    description = tool.get("description", "")[:1000]
    if description.strip():
        return description
    ns, sep, local = tool["name"].rpartition("__")
    return " ".join(p.replace("_", " ") for p in (ns, local) if p)


# What a tool's vector is made from (--text): nexus's form, and variants to measure what each part of it brings.
TOOL_TEXTS = {
    "description": embedding_text,
    "tool": named_text,
    "no-app": lambda t: f"{t['name'].rpartition('__')[2].replace('_', ' ')}: {t.get('description', '')[:1000]}",
    "name": lambda t: named_text(t).split(":", 1)[0],
    "with-params": lambda t: named_text(t) + (
        " (" + ", ".join(p["name"].replace("_", " ") for p in t["params"]) + ")" if t.get("params") else ""),
}


# --- plain BM25 (Okapi, k1 1.2, b 0.75) over name + description + parameter names, lower-cased word tokens
TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text):
    return TOKEN.findall(text.lower().replace("_", " "))


class BM25:
    def __init__(self, tools, k1=1.2, b=0.75):
        self.docs = []
        for t in tools:
            text = t["name"] + " " + t.get("description", "") + " " + " ".join(p["name"] for p in t.get("params", []))
            self.docs.append(Counter(tokens(text)))
        self.n = len(self.docs)
        self.avg = sum(sum(d.values()) for d in self.docs) / max(self.n, 1)
        df = Counter()
        for d in self.docs:
            df.update(d.keys())
        self.idf = {w: math.log(1 + (self.n - c + 0.5) / (c + 0.5)) for w, c in df.items()}
        self.post = defaultdict(list)
        for i, d in enumerate(self.docs):
            length = sum(d.values())
            for w, tf in d.items():
                self.post[w].append((i, self.idf[w] * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / self.avg))))

    def rank(self, query, k):
        scores = defaultdict(float)
        for w in set(tokens(query)):
            for i, s in self.post.get(w, ()):
                scores[i] += s
        return [i for i, _ in sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:k]]


MODEL = {"name": "all-MiniLM-L6-v2"}  # what the server last said it ran: names the retriever's rows


def embed(url, texts, batch=64):
    out = []
    for s in range(0, len(texts), batch):
        body = json.dumps({"input": texts[s:s + batch], "model": MODEL["name"]}).encode()
        req = urllib.request.Request(url, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=3600) as r:
            answer = json.load(r)
        data = answer["data"]
        MODEL["name"] = answer.get("model") or MODEL["name"]
        out.extend(d["embedding"] for d in sorted(data, key=lambda d: d["index"]))
        if len(texts) > batch:
            print(f"\r  embedded {min(s + batch, len(texts))}/{len(texts)}", end="", file=sys.stderr, flush=True)
    if len(texts) > batch:
        print(file=sys.stderr)
    return out


class Dense:
    def __init__(self, url, tools, text=embedding_text):
        import numpy as np

        self.np = np
        self.url = url
        self.m = np.array(embed(url, [text(t) for t in tools]), dtype=np.float32)

    def rank(self, query, k):
        q = self.np.array(embed(self.url, [query])[0], dtype=self.np.float32)
        s = self.m @ q
        return list(self.np.argsort(-s, kind="stable")[:k])


def score(ranker, tools, turns):
    names = [t["name"] for t in tools]
    r1 = r5 = rr = 0.0
    for q in turns:
        got = [names[i] for i in ranker.rank(q["query"], 10)]
        if got[:1] == [q["expected"]]:
            r1 += 1
        if q["expected"] in got[:5]:
            r5 += 1
        if q["expected"] in got:
            rr += 1 / (got.index(q["expected"]) + 1)
    n = max(len(turns), 1)
    return r1 / n, r5 / n, rr / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8089/v1/embeddings")
    ap.add_argument("--no-embeddings", action="store_true")
    ap.add_argument("--text", choices=sorted(TOOL_TEXTS), default="description",
                    help="what a tool's vector is made from (default: nexus's ToolText.embedding form, the "
                         "description; `tool` is the old app-and-tool-words form)")
    a = ap.parse_args()
    print("| retriever | catalogue | set | recall@1 | recall@5 | MRR@10 |")
    print("|---|---|---|---|---|---|")
    for distractors in (False, True):
        tools = catalogue(distractors)
        label = f"{len(tools)} tools" + (" (with distractors)" if distractors else " (real alone)")
        rankers = [("BM25", BM25(tools))]
        if not a.no_embeddings:
            dense = Dense(a.url, tools, TOOL_TEXTS[a.text])
            rankers.append((MODEL["name"], dense))
        for split in ("tuning", "holdout"):
            turns = load(os.path.join(ROOT, f"testdata/picker/{split}.jsonl"))
            for name, r in rankers:
                r1, r5, mrr = score(r, tools, turns)
                print(f"| {name} | {label} | {split} | {r1:.2f} | {r5:.2f} | {mrr:.2f} |", flush=True)


if __name__ == "__main__":
    main()
