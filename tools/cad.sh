#!/usr/bin/env bash
# The project's two entry commands: `npm start` (install, build, start on the San Francisco data with a
# drill of 2017-01-01) and `npm test` (install, build, lint, every test). Each works on a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true

# A build replaces dist/ under a system `npm start` runs from this folder (its console files, the modules it
# loads late): say so and stop, before anything is touched.
refuse_while_started() {
  local pid
  pid=$(cat dist/.start.pid 2>/dev/null) || return 0
  # Only a system started from this very folder (its working directory), not another clone's whose pid this was.
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q "main.js" "/proc/$pid/cmdline" 2>/dev/null \
    && [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$(pwd -P)" ]; then
    echo "» npm start is running from this folder (pid $pid): stop it first (Ctrl-C in its terminal)," >&2
    echo "  or run a second system, or the tests, from another clone (with its own PORT and REDIS_PREFIX)" >&2
    exit 1
  fi
}

ensure_deps() {
  # Before npm ci too: it would replace node_modules under the running system.
  refuse_while_started
  # Installed for this very lock file (its hash stamped after the last npm ci): nothing to do, whatever
  # the files' dates say (a fresh clone's lock file is newer than a node_modules made before it).
  local want have=""
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  [ -f node_modules/.cad-lock-sha256 ] && have=$(cat node_modules/.cad-lock-sha256)
  if [ -f node_modules/.package-lock.json ] && [ "$have" = "$want" ]; then return; fi
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ -n "$have" ]; then
    echo "» installing dependencies (npm ci)"
    npm ci --no-audit --no-fund
  fi
  echo "$want" > node_modules/.cad-lock-sha256
}

ensure_chromium() {
  if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
    echo "» installing Debian chromium for the browser tests"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  fi
}

build_api() {
  refuse_while_started
  echo "» building api, libs and db"
  rm -rf dist/out
  npx tsc -p tsconfig.build.json
  npx tsc-alias -p tsconfig.build.json
}

build() {
  refuse_while_started
  echo "» building api, libs, db and console"
  rm -rf dist/out
  npx tsc -p tsconfig.build.json
  npx tsc-alias -p tsconfig.build.json
  npx vite build apps/console --logLevel warn
}

case "${1:-}" in
  start)
    # Say a missing data folder now, not after the install and the build (paths are relative to this folder).
    data_dir="${DATA_DIR:-../shared/data/san-francisco}"
    if [ -z "${CITY_PROFILE:-}" ] && [ ! -d "$data_dir" ]; then
      echo "» the data folder $data_dir ($(cd .. && pwd)/shared/data/san-francisco by default) is not there:" >&2
      echo "  set DATA_DIR to the folder of the San Francisco data (the CAP schemas are then taken from DATA_DIR/../../standards/cap)" >&2
      exit 1
    fi
    refuse_while_started
    ensure_deps
    build
    echo $$ > dist/.start.pid
    export DRILL_DATE="${DRILL_DATE-2017-01-01}"
    # The demo: a fresh record gets the demo accounts (said loudly at start). SEED_DEMO_USERS=false for none.
    export SEED_DEMO_USERS="${SEED_DEMO_USERS-true}"
    # ... and simulated crews answer its live tasks no phone answers (only ever on a demo record). DEMO_CREWS=false for none.
    export DEMO_CREWS="${DEMO_CREWS-true}"
    exec node dist/out/apps/api/src/main.js
    ;;
  worker)
    exec node dist/out/apps/api/src/worker.js
    ;;
  drill)
    # npm run drill -- --scenario sf-north --day 2017-01-01 --speed max --policy nearest [--surge f] [--compare-policy all] [--seed n] [--out dir]
    ensure_deps
    build_api >&2
    exec node dist/out/apps/api/src/drill/cli.js "${@:2}"
    ;;
  bench-drill)
    ensure_deps
    build_api >&2
    exec node dist/out/bench/drill.js
    ;;
  bench-lifelines)
    ensure_deps
    build_api >&2
    exec node dist/out/bench/lifelines.js
    ;;
  bench-fidelity)
    ensure_deps
    build_api >&2
    exec node dist/out/bench/fidelity.js
    ;;
  build)
    ensure_deps
    build
    ;;
  test)
    ensure_deps
    ensure_chromium
    build
    echo "» lint (module boundaries, typed rules)"
    npx nx reset >/dev/null 2>&1 || true
    npx nx show projects >/dev/null
    npx eslint apps/api/src apps/console/src libs db e2e
    echo "» type-check"
    npx tsc -p tsconfig.json
    npx tsc -p apps/console/tsconfig.json
    echo "» tests"
    if [ $# -gt 1 ]; then
      npx jest --ci --maxWorkers=2 --forceExit "${@:2}"
    else
      # Unit and integration files two at a time; then the browser and multi-process tests one at a
      # time, so their one-second checks measure the system and not a CPU shared with another suite.
      npx jest --ci --maxWorkers=2 --forceExit --selectProjects unit integration
      npx jest --ci --runInBand --forceExit --selectProjects e2e
    fi
    ;;
  *)
    echo "usage: tools/cad.sh start|worker|build|test|drill|bench-drill|bench-lifelines|bench-fidelity" >&2
    exit 2
    ;;
esac
