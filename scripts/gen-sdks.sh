#!/usr/bin/env bash
# Generates the native provider's SDKs (sdk/nodejs, sdk/go, sdk/python) from provider/native/schema.json with
# sdk-gen (Pulumi's codegen packages, pkg/v3@v3.276.0), then compiles each:
#   nodejs  npx tsc with the generated tsconfig, then require() of the result (sdk/nodejs/bin); @pulumi/pulumi, typescript and @types/node come from the repository's
#           node_modules (sdk/nodejs/node_modules is a symlink to it)
#   go      go mod tidy + go build ./... (go.mod requires github.com/pulumi/pulumi/sdk/v3 v3.276.0; offline once the
#           module cache holds its dependencies: set GOPROXY=off GOFLAGS=-mod=mod)
#   python  python3 -m compileall
# sdk/ is generated output (gitignored), never committed. The SDK version is package.json's version.
# The sdk-gen binary is cached outside the repository, keyed by a hash of sdk-gen's sources:
#   ${PARTNERCENTER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter}/sdk-gen/<hash>/sdk-gen
# Usage: scripts/gen-sdks.sh [--no-compile] [languages, default: nodejs go python]
# Needs Go; for nodejs `source scripts/ensure-node.sh` and `npm ci`. Exits non-zero naming the step that failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMPILE=1
if [[ "${1:-}" == "--no-compile" ]]; then COMPILE=0; shift; fi
LANGS=("$@")
[[ ${#LANGS[@]} -eq 0 ]] && LANGS=(nodejs go python)

fail() { echo "gen-sdks: FAILED: $*" >&2; exit 1; }
now() { date +%s.%N; }
took() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1fs", e - s }'; }

command -v go >/dev/null || fail "go is not on PATH"

# 1. sdk-gen, built once per source hash.
CACHE="${PARTNERCENTER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter}/sdk-gen"
HASH="$(cd "$ROOT/sdk-gen" && cat go.mod go.sum main.go | sha256sum | cut -c1-16)-$(go env GOVERSION)"
BIN="$CACHE/$HASH/sdk-gen"
if [[ ! -x "$BIN" ]]; then
  start="$(now)"
  mkdir -p "$CACHE/$HASH"
  (cd "$ROOT/sdk-gen" && go build -o "$BIN.tmp" .) || fail "building sdk-gen"
  mv "$BIN.tmp" "$BIN"
  echo "gen-sdks: built sdk-gen ($(took "$start")) -> $BIN" >&2
else
  echo "gen-sdks: sdk-gen from cache: $BIN" >&2
fi

# 2. Generation.
start="$(now)"
langs_csv="$(IFS=,; echo "${LANGS[*]}")"
(cd "$ROOT" && "$BIN" -schema provider/native/schema.json -package-json package.json -out sdk -languages "$langs_csv") ||
  fail "generating the SDKs (sdk-gen)"
echo "gen-sdks: generated ${LANGS[*]} ($(took "$start"))" >&2
[[ $COMPILE -eq 1 ]] || exit 0

# 3. Compilation.
failed=()
for lang in "${LANGS[@]}"; do
  start="$(now)"
  case "$lang" in
    nodejs)
      [[ -d "$ROOT/node_modules/@pulumi/pulumi" ]] || { echo "gen-sdks: node_modules/@pulumi/pulumi missing: npm ci" >&2; failed+=(nodejs); continue; }
      ln -sfn ../../node_modules "$ROOT/sdk/nodejs/node_modules"
      # As Pulumi's provider builds do, bin/ gets package.json (utilities.getVersion() reads it) and the README:
      # sdk/nodejs/bin is the package to publish or `npm install`.
      (cd "$ROOT/sdk/nodejs" && npx --no-install tsc -p tsconfig.json && cp package.json README.md bin/) ||
        { failed+=("nodejs (tsc)"); continue; }
      (cd "$ROOT/sdk/nodejs/bin" && node -e 'const p = require("."); if (!p.PartnerCustomer) process.exit(1)') ||
        { failed+=("nodejs (require of the built SDK)"); continue; }
      ;;
    go)
      (cd "$ROOT/sdk/go" && go mod tidy && go build ./... && go vet ./...) || { failed+=("go (go build)"); continue; }
      ;;
    python)
      command -v python3 >/dev/null || { failed+=("python (python3 not on PATH)"); continue; }
      python3 -m compileall -q "$ROOT/sdk/python" >/dev/null || { failed+=("python (compileall)"); continue; }
      ;;
    *) failed+=("$lang (unknown language)"); continue ;;
  esac
  echo "gen-sdks: $lang SDK compiles ($(took "$start"))" >&2
done
if [[ ${#failed[@]} -gt 0 ]]; then
  fail "$(IFS=,; echo "${failed[*]}")"
fi
echo "gen-sdks: all SDKs generated and compiled in $ROOT/sdk" >&2
