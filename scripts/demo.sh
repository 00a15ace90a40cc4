#!/usr/bin/env bash
# `npm run demo`: everything `npm run up` does (install, build, migrate, seed 安来市, start api + ingest + fanout),
# then a whole 安否確認 drill on the seeded town: simulated household receivers (socket.io) acknowledge and play it,
# a fake FCM accepts the app pushes and simulated apps acknowledge them (/v1/acks/signed), residents answer through
# one-tap links at the rates below with realistic delays. Prints progress every few seconds, then the drill report
# and the path of its CSV. Stops everything at the end (DEMO_KEEP_RUNNING=1 keeps the apps up for a look around).
#
# Knobs (environment):
#   DEMO_GROUPS=needs_assistance,staff   who the drill asks (`everyone`: all 38k residents; slower on a small box)
#   DEMO_ANSWER_RATE=0.85  DEMO_NEEDS_ASSISTANCE_RATE=0.75  DEMO_STAFF_RATE=0.95  DEMO_APP_ACK_RATE=0.9
#   DEMO_DURATION_SECONDS=60      answers arrive over this long (a drill's hour, compressed)
#   DEMO_RECEIVERS=300            simulated receivers (the seed has one per household with a 要援護者)
#   DEMO_HOUSEHOLDS / DEMO_RESIDENTS   the seeded town's size (15000 / 38000)
#   DEMO_RESEED=0                 keep the town an earlier `npm run demo` seeded: the report then compares with
#                                 its drills (re-seeding replaces the roster, and the earlier answers with it)
#   DEMO_API_PORT=3000 DEMO_INGEST_PORT=3001 DEMO_FANOUT_PORT=3002
#   DATABASE_URL, REDIS_URL, QUEUE_PREFIX   as for the apps (defaults: the local bousai database and Redis)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-node.sh
# a local try-out: development mode lets the api sign operator tokens with the public development key (it warns);
# a deployment sets NODE_ENV=production (the default when unset) and its own JWT_SECRET
export NODE_ENV=${NODE_ENV:-development}
source scripts/processes.sh

GROUPS_=${DEMO_GROUPS:-needs_assistance,staff}
RECEIVERS=${DEMO_RECEIVERS:-300}
API_PORT=${DEMO_API_PORT:-3000}
INGEST_PORT=${DEMO_INGEST_PORT:-3001}
FANOUT_PORT=${DEMO_FANOUT_PORT:-3002}
# demo-only secrets: the simulators sign what real devices and mail links would carry
export DEMO_OPERATOR_PASSWORD=${DEMO_OPERATOR_PASSWORD:-demo-operator-password-yasugi}
export ONE_TAP_SECRET=${ONE_TAP_SECRET:-demo-one-tap-secret-0123456789-abcdefghij}
export ACK_TOKEN_SECRET=${ACK_TOKEN_SECRET:-demo-ack-token-secret-0123456789-abcdefgh}
RECEIVER_SECRET=${DEMO_RECEIVER_SECRET:-rxs_demo-receiver-secret-0123456789}
started=$(date +%s)

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
echo "==> building"
npm run -s build
cli="node dist/apps/cli/apps/cli/src/main.js"
echo "==> migrating"
$cli migrate
if [ "${DEMO_RESEED:-1}" = 1 ]; then
  echo "==> seeding the demo municipality (安来市)"
  $cli seed:demo --households "${DEMO_HOUSEHOLDS:-15000}" --residents "${DEMO_RESIDENTS:-38000}" \
    --receiver-secret "$RECEIVER_SECRET"
else
  echo "==> keeping the seeded 安来市 and its earlier drills (DEMO_RESEED=0)"
fi

mkdir -p .run
node_ts() { node --disable-warning=MODULE_TYPELESS_PACKAGE_JSON --disable-warning=ExperimentalWarning "$@"; }
wait_for() { # FILE PATTERN: until a process printed its ready line
  for _ in $(seq 1 240); do
    if grep -q "$2" "$1" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "timed out waiting for $1; see it" >&2
  exit 1
}

echo "==> starting a fake FCM (the apps' push provider)"
bg .run/fake-fcm.log node_ts libs/testing/src/fakes/fcm/main.ts 0
wait_for .run/fake-fcm.log '^ready '
fcm_port=$(sed -n 's/^ready \([0-9]*\).*/\1/p' .run/fake-fcm.log | head -1)
node -e "fetch('http://127.0.0.1:$fcm_port/_service-account').then(r=>r.text()).then(t=>require('fs').writeFileSync('.run/fcm-service-account.json',t))"

for pair in api:$API_PORT ingest:$INGEST_PORT fanout:$FANOUT_PORT; do
  PORT=${pair##*:} FANOUT_CHANNELS=receiver,fcm FCM_BASE_URL="http://127.0.0.1:$fcm_port" \
    FCM_TOKEN_URL="http://127.0.0.1:$fcm_port/token" FCM_CREDENTIALS_FILE=.run/fcm-service-account.json \
    start_app "${pair%%:*}"
done
for pair in api:$API_PORT ingest:$INGEST_PORT fanout:$FANOUT_PORT; do wait_ready "${pair%%:*}" "${pair##*:}"; done

echo "==> connecting $RECEIVERS simulated household receivers (ack at once, report played after 3 s)"
bg .run/receivers.log node_ts libs/testing/src/fakes/receiver/main.ts --url "http://127.0.0.1:$API_PORT" \
  --count "$RECEIVERS" --serial-prefix YSG-RX- --secret "$RECEIVER_SECRET" --played-delay-ms 3000
wait_for .run/receivers.log '^ready '
echo "    $(grep '^ready ' .run/receivers.log | head -1 | cut -d' ' -f2) connected"

echo "==> setup took $(($(date +%s) - started)) s; the drill begins"
# in the background and waited for: a signal to this script then stops everything at once (bash runs its traps only
# after a foreground command ends)
$cli demo:drill --api "http://127.0.0.1:$API_PORT" --password "$DEMO_OPERATOR_PASSWORD" \
  --one-tap-secret "$ONE_TAP_SECRET" --ack-secret "$ACK_TOKEN_SECRET" --groups "$GROUPS_" \
  --answer-rate "${DEMO_ANSWER_RATE:-0.85}" --needs-assistance-rate "${DEMO_NEEDS_ASSISTANCE_RATE:-0.75}" \
  --staff-rate "${DEMO_STAFF_RATE:-0.95}" --app-ack-rate "${DEMO_APP_ACK_RATE:-0.9}" \
  --duration "${DEMO_DURATION_SECONDS:-60}" --csv .run/drill-report.csv &
drill=$!
_bg_groups+=("$drill")
wait "$drill"
echo "==> demo done in $(($(date +%s) - started)) s   logs: .run/*.log"
if [ "${DEMO_KEEP_RUNNING:-0}" = 1 ]; then
  echo "==> apps keep running (API docs: http://127.0.0.1:$API_PORT/docs); Ctrl-C stops everything"
  wait
fi
