#!/usr/bin/env bash
# Installs what NEXUS needs on Debian 12, skipping whatever is already present.
# Usage: scripts/setup.sh [--test]   (--test adds what the test suite needs: tmux, Prometheus (promtool and
# the real scrape test, issue 16), Python test servers)
set -euo pipefail
cd "$(dirname "$0")/.."

want=(libsqlite3-dev libcurl4-openssl-dev libsodium-dev libncursesw5-dev libedit-dev pkg-config python3 python3-venv)
if [[ "${1:-}" == "--test" ]]; then want+=(tmux prometheus); fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Real MCP servers from PyPI that the end-to-end tests mount as modules (skipped there if this fails).
# They go into a venv of the system Python inside .build/, because module processes run in the
# sandbox, which never mounts the home directory (where pyenv-style interpreters live).
if [[ "${1:-}" == "--test" ]]; then
  venv=.build/test-venv
  if [[ ! -x $venv/bin/python3 ]]; then
    mkdir -p .build && /usr/bin/python3 -m venv "$venv" >/dev/null 2>&1 || echo "setup: could not create $venv"
  fi
  if [[ -x $venv/bin/python3 ]]; then
    # schemathesis: generated requests against the admin API's OpenAPI document (SchemathesisSpecs, issue 16).
    for m in mcp_server_time:mcp-server-time mcp_server_git:mcp-server-git schemathesis:schemathesis; do
      $venv/bin/python3 -c "import ${m%%:*}" 2>/dev/null || $venv/bin/python3 -m pip install -q --disable-pip-version-check "${m##*:}" >/dev/null 2>&1 || echo "setup: pip could not install ${m##*:}; its tests will be skipped"
    done
  fi
  # mcp-server-sqlite crashes under mcp 2.x, so it gets a venv of its own pinned to mcp<2.
  venv=.build/test-venv-sqlite
  if [[ ! -x $venv/bin/python3 ]]; then
    /usr/bin/python3 -m venv "$venv" >/dev/null 2>&1 || echo "setup: could not create $venv"
  fi
  if [[ -x $venv/bin/python3 ]] && ! $venv/bin/python3 -c "import mcp_server_sqlite" 2>/dev/null; then
    $venv/bin/python3 -m pip install -q --disable-pip-version-check mcp-server-sqlite 'mcp<2' >/dev/null 2>&1 \
      || echo "setup: pip could not install mcp-server-sqlite; its test will be skipped"
  fi
  # A venv made from a pyenv interpreter (its bin/python links into ~/.pyenv), as pyenv users have.
  pyenv_python=$(ls -d "$HOME"/.pyenv/versions/3.1[1-9]*/bin/python3 2>/dev/null | head -1 || true)
  venv=.build/test-venv-pyenv
  if [[ -n $pyenv_python && ! -x $venv/bin/python3 ]]; then
    "$pyenv_python" -m venv "$venv" >/dev/null 2>&1 || echo "setup: could not create $venv from $pyenv_python"
  fi
  if [[ -x $venv/bin/python3 ]] && ! $venv/bin/python3 -c "import mcp_server_time" 2>/dev/null; then
    $venv/bin/python3 -m pip install -q --disable-pip-version-check mcp-server-time >/dev/null 2>&1 \
      || echo "setup: pip could not install mcp-server-time into $venv; its test will be skipped"
  fi
  # The `mcp` SDK itself, 1.x and 2.x, for the MCP revision tests' FastMCP fixtures (MCPRevisionTests).
  for major in 1 2; do
    v=.build/mcp$major-venv
    spec="mcp<2"; [[ $major == 2 ]] && spec="mcp>=2,<3"
    [[ -x $v/bin/python3 ]] || /usr/bin/python3 -m venv "$v" >/dev/null 2>&1 || echo "setup: could not create $v"
    if [[ -x $v/bin/python3 ]] && ! $v/bin/python3 -c "import mcp, sys; from importlib.metadata import version; sys.exit(version('mcp').split('.')[0] != '$major')" 2>/dev/null; then
      $v/bin/python3 -m pip install -q --disable-pip-version-check "$spec" >/dev/null 2>&1 || echo "setup: pip could not install $spec into $v; MCPRevisionTests will be skipped"
    fi
  done
fi

if ! command -v swift >/dev/null 2>&1; then
  for d in /opt/swift/usr/bin /usr/share/swift/usr/bin; do [[ -x $d/swift ]] && export PATH="$d:$PATH"; done
fi
command -v swift >/dev/null 2>&1 || { echo "setup: Swift 6 toolchain not found; install it from swift.org and re-run" >&2; exit 1; }
