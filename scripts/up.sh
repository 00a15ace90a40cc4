#!/usr/bin/env bash
# One command from a fresh clone: install, build, migrate, seed the demo municipality, start api + ingest +
# fanout, and wait until each answers /readyz. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-node.sh
# a local try-out: development mode lets the api sign operator tokens with the public development key (it warns);
# a deployment sets NODE_ENV=production (the default when unset) and its own JWT_SECRET
export NODE_ENV=${NODE_ENV:-development}

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
echo "==> building"
npm run -s build
echo "==> migrating"
node dist/apps/cli/apps/cli/src/main.js migrate
echo "==> seeding the demo municipality (安来市)"
node dist/apps/cli/apps/cli/src/main.js seed:demo "$@"

mkdir -p .run
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT INT TERM
for app in api ingest fanout; do
  node $([ "$app" = fanout ] && echo --max-old-space-size=256 --max-semi-space-size=64) "dist/apps/$app/apps/$app/src/main.js" > ".run/$app.log" 2>&1 &
  pids+=("$!")
done

ready() { node -e "fetch('http://127.0.0.1:$1/readyz').then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"; }
for pair in api:3000 ingest:3001 fanout:3002; do
  name=${pair%%:*}; port=${pair##*:}
  for i in $(seq 1 60); do
    if ready "$port"; then echo "==> $name ready on http://127.0.0.1:$port (/readyz 200)"; break; fi
    if [ "$i" = 60 ]; then echo "$name did not become ready; see .run/$name.log" >&2; exit 1; fi
    sleep 0.5
  done
done
echo "==> API docs: http://127.0.0.1:3000/docs   logs: .run/*.log   Ctrl-C stops everything"
wait
