# shellcheck shell=bash
# Shared by infra/local/kafka.sh and infra/local/elasticsearch.sh (sourced, not run).
# A service script sets NX_NAME, DIR (its instance dir), PIDFILE, MARKER (a string found in the
# service's command line, so a recycled pid is never taken for it), LINE (the contract line),
# LOGS (an array of logs to show when a start fails), START_TIMEOUT, and defines `ready` and `start`.
# Progress goes to stderr: the only stdout line of `start`/`status` is LINE.

NX_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck disable=SC2034 # used by the service scripts
NX_INFRA_DIR="${NEXUS_INFRA_DIR:-$NX_REPO/.data/infra}"
# shellcheck disable=SC2034
NX_CACHE_DIR="${NEXUS_INFRA_CACHE:-${HOME:-/root}/.cache/nexus-infra}"
NX_HOST=127.0.0.1

nx_world_traversable() { # true when every existing folder from / down to $1 lets other users through
  local p="$1"
  while [[ ! -d $p ]]; do p="$(dirname "$p")"; done
  while :; do
    (($(stat -c '8#%a' "$p") & 1)) || return 1
    [[ $p == / ]] && return 0
    p="$(dirname "$p")"
  done
}

nx_log() { printf '[%s] %s\n' "$NX_NAME" "$*" >&2; }
nx_die() { printf '[%s] ERROR: %s\n' "$NX_NAME" "$*" >&2; exit 1; }

nx_need() { # nx_need CMD... : fail early, naming the Debian package to install
  local c
  for c in "$@"; do command -v "$c" >/dev/null || nx_die "'$c' not found (apt-get install -y $c)"; done
}

nx_java_home() { # JAVA_HOME if set, else the home of the `java` on PATH; must be 17 or newer
  local jh="${JAVA_HOME:-}" v
  [[ -n $jh ]] || { nx_need java; jh="$(readlink -f "$(command -v java)")"; jh="${jh%/bin/java}"; }
  v="$("$jh/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)"
  [[ ${v:-0} -ge 17 ]] || nx_die "Java 17+ needed, $jh has '${v:-?}'"
  printf '%s\n' "$jh"
}

nx_mvn() { # Maven in batch mode; its output is shown only when it fails
  nx_need mvn
  local out rc=0
  out="$(mktemp)"
  mvn -B -ntp "$@" >"$out" 2>&1 9>&- || rc=$?
  ((rc == 0)) || tail -n 40 "$out" >&2
  rm -f "$out"
  ((rc == 0)) || nx_die "Maven failed: mvn $*"
}

nx_lock() { # serialise start/stop/reset of one instance (fd 9: launched services must close it)
  mkdir -p "$(dirname "$DIR")"
  exec 9>"$DIR.lock"
  flock -w 600 9 || nx_die "could not take the lock $DIR.lock"
}

nx_running() { local s; s="$(ps -o stat= -p "$1" 2>/dev/null)" && [[ -n $s && $s != Z* ]]; }

nx_alive() { # the pid in PIDFILE runs (not a zombie) and is our service
  local pid
  pid="$(cat "$PIDFILE" 2>/dev/null)" && [[ $pid =~ ^[0-9]+$ ]] && nx_running "$pid" \
    && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$MARKER"
}

nx_ports_free() { # nx_ports_free PORT... : fail when something else listens there
  local p
  for p in "$@"; do
    # shellcheck disable=SC2016 # $0 and $1 are the inner shell's
    ! timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$NX_HOST" "$p" 2>/dev/null \
      || nx_die "port $p on $NX_HOST is taken by another process (see the port variables in infra/local/README.md)"
  done
}

nx_wait() { # nx_wait SECONDS : poll `ready`; 0 ready, 2 the process died, 3 timed out
  local deadline=$((SECONDS + $1))
  until ready; do
    nx_alive || { sleep 1; nx_alive || return 2; } # the pid file may be written a moment late
    ((SECONDS < deadline)) || return 3
    sleep 0.5
  done
}

nx_fail() { # nx_fail MESSAGE : show the end of each log in LOGS, then exit 1
  local f
  for f in "${LOGS[@]}"; do
    [[ -s $f ]] || continue
    printf '\n----- last 40 lines of %s -----\n' "$f" >&2
    tail -n 40 "$f" >&2
  done
  nx_die "$1"
}

nx_if_running() { # print LINE and succeed when the service already runs (waits until it is ready)
  nx_alive || return 1
  nx_wait "$START_TIMEOUT" || nx_fail "running (pid $(cat "$PIDFILE")) but not ready"
  nx_log "already running (pid $(cat "$PIDFILE"))"
  echo "$LINE"
}

nx_await() { # wait for the service just launched; print LINE, or stop it and fail
  local rc=0
  nx_wait "$START_TIMEOUT" || rc=$?
  case $rc in
    0) nx_log "ready after ${SECONDS}s"; echo "$LINE" ;;
    2) rm -f "$PIDFILE"; nx_fail "$NX_NAME exited during start" ;;
    *) nx_stop 20; nx_fail "$NX_NAME not ready after ${START_TIMEOUT}s" ;;
  esac
}

nx_stop() { # nx_stop [TIMEOUT] : SIGTERM the service's process group, wait, SIGKILL after TIMEOUT
  local timeout=${1:-60} pid pgid target deadline
  if ! nx_alive; then
    rm -f "$PIDFILE"
    nx_log "not running"
    return 0
  fi
  pid="$(cat "$PIDFILE")"
  pgid="$(ps -o pgid= -p "$pid" | tr -d ' ')"
  target="$pid"
  # Signal the whole group only when the service has its own (it was started under setsid).
  [[ -n $pgid && $pgid != "$(ps -o pgid= -p $$ | tr -d ' ')" ]] && target="-$pgid"
  nx_log "stopping pid $pid"
  kill -TERM -- "$target" 2>/dev/null || true
  deadline=$((SECONDS + timeout))
  while nx_running "$pid"; do
    if ((SECONDS >= deadline)); then
      nx_log "still running after ${timeout}s, sending SIGKILL"
      kill -KILL -- "$target" 2>/dev/null || true
      deadline=$((SECONDS + 30))
    fi
    sleep 0.2
  done
  rm -f "$PIDFILE"
  nx_log "stopped"
}

nx_status() {
  nx_alive || { nx_log "not running"; return 3; }
  ready || { nx_log "running (pid $(cat "$PIDFILE")) but not ready"; return 1; }
  nx_log "running (pid $(cat "$PIDFILE"), data in $DIR)"
  echo "$LINE"
}

nx_main() { # the commands every service script has (call it last, never in a `||` or `if`)
  case "${1:-}" in
    start) nx_lock; nx_if_running || start ;;
    stop) nx_lock; nx_stop 60 ;;
    status) nx_status ;;
    reset) nx_lock; nx_stop 60; rm -rf "$DIR"; nx_log "removed $DIR" ;;
    *) echo "usage: $0 start|stop|status|reset${USAGE_MORE:-}" >&2; exit 2 ;;
  esac
}
