#!/usr/bin/env bash
# The test command: lint, build, then every test against the real stack.
#   bash scripts/test.sh          lint + build + unit + integration + browser tests, then npm run bench -- --quick
#   bash scripts/test.sh unit     lint + build + unit tests only (no stack needed)
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-all}"

# The project's Node (package.json's optionalDependencies; see scripts/setup.sh), also when run directly with bash.
export PATH="$PWD/node_modules/.bin:$PATH"
echo "== node $(node --version)"

echo "== lint and format check"
npx --no-install eslint .
npx --no-install prettier --check . >/dev/null || { npx --no-install prettier --check .; exit 1; }

echo "== build"
rm -rf dist
npx --no-install tsc -p tsconfig.json

shopt -s nullglob
files=(dist/test/unit/*.test.js)
if [[ "$mode" == "all" ]]; then
  echo "== stack"
  bash stack/stack.sh up
  node dist/scripts/migrate.js --hive
  node dist/scripts/registerSchema.js
  # The working copy of the bid schema against every version registered under the subject.
  node dist/scripts/schemaCheck.js
  files+=(dist/test/integration/*.test.js dist/test/browser/*.test.js dist/test/stack/*.test.js)
fi

echo "== tests (${#files[@]} files)"
# One process a file, one file at a time: integration tests share the broker.
node --test --test-concurrency=1 --test-reporter=spec "${files[@]}"

if [[ "$mode" == "all" ]]; then
  # Figures and targets are printed, never asserted: only a benchmark that cannot run fails the command.
  echo "== benchmark (quick)"
  node dist/bench/main.js --quick
fi
