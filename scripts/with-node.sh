#!/usr/bin/env bash
# Runs a command with the project's Node first on PATH: `bash scripts/with-node.sh node …`, `… nest build api`.
# Every npm script that runs Node goes through here, so `npm test` or `npm run operator:create` works on a machine
# whose own node is too old (it would crash) without the caller sourcing ensure-node.sh first. Tools started by
# `#!/usr/bin/env node` (nest, tsc, eslint, prettier) pick the same Node up from PATH.
source "$(dirname "${BASH_SOURCE[0]}")/ensure-node.sh" || exit 1
exec "$@"
