#!/usr/bin/env bash
# Runs one ica-orchestrator cycle from cron (every 10 minutes, see crontab.example).
#
# Overlap is handled by the tool's own lock in the state directory: a cycle that finds another one running
# exits 0 with a one-line message, so this wrapper needs no flock of its own. All arguments are passed to
# `ica-orchestrator run` unchanged, so the original tool's flags (--source_project_name ..., --dry_run) work.
# The tool's full log is orchestrator.log in its state directory; cron.log only gets the cycle's summary and its
# warnings and errors (--log_console warnings, which an argument of your own overrides), and it is kept to
# about two times ICA_ORCHESTRATOR_CRON_LOG_BYTES (the current file and one older, cron.log.1).
#
# Environment:
#   ICA_ORCHESTRATOR_BIN       the command to run (default: ica-orchestrator on PATH, else in the bin/ of
#                              `npm prefix -g`, wherever npm installed it: /usr, /usr/local, ~/.npm-global, nvm)
#   ICA_ORCHESTRATOR_CRON_LOG  file collecting the cycle's output (default: ~/.ica-orchestrator/cron.log);
#                              the tool's own log is orchestrator.log in its state directory
#   ICA_ORCHESTRATOR_CRON_LOG_BYTES  size past which cron.log is moved to cron.log.1 (default 1048576)
# Every variable the tool reads (ICA_API_KEY_FILE, ICA_ORCHESTRATOR_CONFIG, ICA_ORCHESTRATOR_STATE_DIR, ...)
# passes through. Exit status: the tool's (0 done or skipped, 1 failures, 2 configuration), 2 if not installed.
set -euo pipefail

log="${ICA_ORCHESTRATOR_CRON_LOG:-${HOME}/.ica-orchestrator/cron.log}"

# cron starts jobs with a minimal PATH and in $HOME: add the usual places of Node and a global npm install,
# and run from $HOME so the default state directory is always ~/.ica-orchestrator.
export PATH="${PATH}:/usr/local/bin:/usr/bin:${HOME}/.npm-global/bin"
cd "${HOME}"

# The installed command: the override, else the one on PATH, else the one in npm's global prefix (which
# npm knows even when its bin/ is not on cron's PATH).
find_bin() {
  if [ -n "${ICA_ORCHESTRATOR_BIN:-}" ]; then
    command -v "${ICA_ORCHESTRATOR_BIN}" || true
  elif command -v ica-orchestrator; then
    :
  elif command -v npm >/dev/null 2>&1; then
    local prefix
    prefix="$(npm prefix --global 2>/dev/null || true)"
    if [ -n "${prefix}" ] && [ -x "${prefix}/bin/ica-orchestrator" ]; then echo "${prefix}/bin/ica-orchestrator"; fi
  fi
}

mkdir -p "$(dirname "${log}")"
# Bounded: one older generation is kept, so the file never grows without end under cron.
if [ -f "${log}" ] && [ "$(wc -c <"${log}")" -gt "${ICA_ORCHESTRATOR_CRON_LOG_BYTES:-1048576}" ]; then
  mv -f "${log}" "${log}.1"
fi
stamp() { date -u +%FT%TZ; }
bin="$(find_bin)"
if [ -z "${bin}" ]; then
  echo "$(stamp) cron-wrapper: ica-orchestrator not found (${ICA_ORCHESTRATOR_BIN:-not on PATH nor in \$(npm prefix -g)/bin}); install it from its tarball (npm install -g ./ica-orchestrator-<version>.tgz) or set ICA_ORCHESTRATOR_BIN" >>"${log}"
  exit 2
fi

status=0
"${bin}" run --log_console warnings "$@" >>"${log}" 2>&1 || status=$?
if [ "${status}" -ne 0 ]; then
  echo "$(stamp) cron-wrapper: cycle exited with status ${status}; see orchestrator.log in the state directory" >>"${log}"
fi
exit "${status}"
