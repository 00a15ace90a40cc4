#!/usr/bin/env bash
# Sourced by up.sh and demo.sh: starts background processes each in its own process group and ends every one of
# them (and whatever they started) when the script ends, however it ends: normally, on an error, Ctrl-C or kill.
# A plain `kill $!` is not enough: `$!` of a shell function run with `&` is a subshell, and killing it leaves the
# node process it started running.

# job control: every background job leads its own process group, so `kill -- -PGID` reaches all of it
set -m
_bg_groups=()

# bg LOGFILE CMD...: runs CMD in the background, output to LOGFILE
bg() {
  local log=$1; shift
  "$@" > "$log" 2>&1 &
  _bg_groups+=("$!")
}

stop_all() {
  trap - EXIT INT TERM
  local g alive
  for g in "${_bg_groups[@]}"; do kill -TERM -- "-$g" 2>/dev/null || true; done
  # their ends are no news: no "Terminated" job notices
  disown -a 2>/dev/null || true
  # the apps shut down cleanly on SIGTERM (queues drained, connections closed); whatever lingers gets SIGKILL
  for _ in $(seq 1 40); do
    alive=0
    for g in "${_bg_groups[@]}"; do kill -0 -- "-$g" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.25
  done
  for g in "${_bg_groups[@]}"; do kill -KILL -- "-$g" 2>/dev/null || true; done
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_ready NAME PORT: until the app answers GET /readyz with 200 (30 s)
wait_ready() {
  local i
  for i in $(seq 1 60); do
    if node -e "fetch('http://127.0.0.1:$2/readyz').then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"; then
      echo "==> $1 ready on http://127.0.0.1:$2 (/readyz 200)"
      return 0
    fi
    sleep 0.5
  done
  echo "$1 did not become ready; see .run/$1.log" >&2
  exit 1
}

# start_app api|ingest|fanout: one of the built apps in the background, logging to .run/NAME.log (the fanout with
# the heap settings of `npm run start:fanout`)
start_app() {
  local flags=()
  [ "$1" = fanout ] && flags=(--max-old-space-size=256 --max-semi-space-size=64)
  bg ".run/$1.log" node "${flags[@]}" "dist/apps/$1/apps/$1/src/main.js"
}
