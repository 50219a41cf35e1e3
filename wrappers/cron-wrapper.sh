#!/usr/bin/env bash
# Runs one ica-orchestrator cycle from cron (every 10 minutes, see crontab.example).
#
# Overlap is handled by the tool's own lock in the state directory: a cycle that finds another one running
# exits 0 with a one-line message, so this wrapper needs no flock of its own. All arguments are passed to
# `ica-orchestrator run` unchanged, so the original tool's flags (--source_project_name ..., --dry_run) work.
#
# Environment:
#   ICA_ORCHESTRATOR_BIN       the command to run (default: ica-orchestrator on PATH)
#   ICA_ORCHESTRATOR_CRON_LOG  file collecting the cycle's output (default: ~/.ica-orchestrator/cron.log);
#                              the tool's own log is orchestrator.log in its state directory
# Every variable the tool reads (ICA_API_KEY_FILE, ICA_ORCHESTRATOR_CONFIG, ICA_ORCHESTRATOR_STATE_DIR, ...)
# passes through. Exit status: the tool's (0 done or skipped, 1 failures, 2 configuration), 2 if not installed.
set -euo pipefail

bin="${ICA_ORCHESTRATOR_BIN:-ica-orchestrator}"
log="${ICA_ORCHESTRATOR_CRON_LOG:-${HOME}/.ica-orchestrator/cron.log}"

# cron starts jobs with a minimal PATH and in $HOME: add the usual places of a global npm install, and run
# from $HOME so the default state directory is always ~/.ica-orchestrator.
export PATH="${PATH}:/usr/local/bin:/usr/bin:${HOME}/.npm-global/bin"
cd "${HOME}"

mkdir -p "$(dirname "${log}")"
stamp() { date -u +%FT%TZ; }
if ! command -v "${bin}" >/dev/null 2>&1; then
  echo "$(stamp) cron-wrapper: '${bin}' not found on PATH; install it (npm install -g ica-orchestrator) or set ICA_ORCHESTRATOR_BIN" >>"${log}"
  exit 2
fi

status=0
"${bin}" run "$@" >>"${log}" 2>&1 || status=$?
if [ "${status}" -ne 0 ]; then
  echo "$(stamp) cron-wrapper: cycle exited with status ${status}; see orchestrator.log in the state directory" >>"${log}"
fi
exit "${status}"
