#!/usr/bin/env bash
# Installs and runs ica-orchestrator inside an ICA Bench workspace.
#
# Bench workspaces keep /data (the workspace's persistent disk) across restarts, while the home directory
# and /tmp may not survive; so Node, the package and the state all live under /data. The API key comes from
# ICA_API_KEY (or ICA_API_KEY_FILE) or from ~/.icav2/config.yaml (x-api-key), as the icav2 CLI writes it.
#
# Usage: wrappers/ica-bench.sh [install] [ica-orchestrator arguments...]     (no arguments: one cycle, `run`)
#   ICA_ORCHESTRATOR_PACKAGE       the tarball made by `npm pack` (ica-orchestrator-<version>.tgz: the package is
#                                  not on the npm registry; it carries its dependencies, so no registry is needed)
#   ICA_ORCHESTRATOR_NODE_VERSION  Node.js installed from nodejs.org when the workspace has none >= 22
#   ICA_ORCHESTRATOR_NODE_TARBALL  a node-v*-linux-*.tar.xz already downloaded (no network needed for Node)
#   BENCH_DATA_DIR                 persistent directory (default: /data)
set -euo pipefail

data_dir="${BENCH_DATA_DIR:-/data}"
home="${data_dir}/ica-orchestrator"
prefix="${home}/npm-global"
node_dir="${home}/node"
package="${ICA_ORCHESTRATOR_PACKAGE:-}"
# The image's Node (Dockerfile); the oldest accepted is the lowest in package.json's engines.
node_version="${ICA_ORCHESTRATOR_NODE_VERSION:-24.21.0}"
need_node_major=22

export PATH="${node_dir}/bin:${prefix}/bin:${PATH}"
# State on the persistent disk, unless the caller chose a directory.
export ICA_ORCHESTRATOR_STATE_DIR="${ICA_ORCHESTRATOR_STATE_DIR:-${home}/state}"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

install_node() {
  local tarball="${ICA_ORCHESTRATOR_NODE_TARBALL:-}"
  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "ica-bench: no Node.js build for $(uname -m); install Node.js >= ${need_node_major} in the workspace image" >&2; exit 2 ;;
  esac
  mkdir -p "${node_dir}"
  if [ -z "${tarball}" ]; then
    tarball="${home}/node-v${node_version}-linux-${arch}.tar.xz"
    echo "ica-bench: downloading Node.js ${node_version} into ${node_dir}" >&2
    curl -fsSL -o "${tarball}" "https://nodejs.org/dist/v${node_version}/node-v${node_version}-linux-${arch}.tar.xz"
  fi
  tar -xJf "${tarball}" -C "${node_dir}" --strip-components=1
}

install() {
  if [ -z "${package}" ]; then
    echo "ica-bench: ica-orchestrator is not installed under ${prefix}: make a tarball with 'npm pack' where the sources are, copy it to ${data_dir} and set ICA_ORCHESTRATOR_PACKAGE=${data_dir}/ica-orchestrator-<version>.tgz" >&2
    exit 2
  fi
  if [ "$(node_major)" -lt "${need_node_major}" ]; then install_node; fi
  mkdir -p "${prefix}" "${ICA_ORCHESTRATOR_STATE_DIR}"
  npm install --global --prefix "${prefix}" --no-audit --no-fund "${package}"
}

if [ "${1:-}" = "install" ]; then
  shift
  install
elif ! command -v ica-orchestrator >/dev/null 2>&1; then
  install
fi

if [ -z "${ICA_API_KEY:-}" ] && [ -z "${ICA_API_KEY_FILE:-}" ] && [ ! -f "${HOME}/.icav2/config.yaml" ]; then
  echo "ica-bench: no API key: set ICA_API_KEY or ICA_API_KEY_FILE, or run 'icav2 config set' to write ~/.icav2/config.yaml" >&2
  exit 2
fi

exec ica-orchestrator "$@"
