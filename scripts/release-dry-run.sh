#!/usr/bin/env bash
# The release, dry: builds and checks every artifact .github/workflows/release.yml publishes, and publishes nothing.
# The workflow runs this same script to build what it then publishes, so what CI checks here is what a release ships.
#
#   bash scripts/release-dry-run.sh                      # every step, artifacts in a temporary folder (removed)
#   bash scripts/release-dry-run.sh --out dist-release   # keep the artifacts there (what the workflow publishes)
#   bash scripts/release-dry-run.sh --only actionlint    # one step (or a comma-separated list); --skip likewise
#   bash scripts/release-dry-run.sh --tag v0.2.0         # a release: the tag must be v<package.json version> and
#                                                        # CHANGELOG.md must have that version's section
#
# Steps, in order:
#   version     scripts/sync-version.ts --check: package.json, package-lock.json, schema.json, the examples' pins
#               and the docs' install commands hold one version; CHANGELOG.md has its section
#   actionlint  actionlint (with shellcheck on the run: steps) on .github/workflows/*.yml and
#               examples/github-actions/*.yml (scripts/ensure-actionlint.sh: built once from the Go module proxy)
#   build       npm run build (dist/)
#   plugin      the six plugin archives pulumi-resource-partnercenter-v<version>-{linux,darwin,windows}-{amd64,arm64}
#               .tar.gz and pulumi-resource-partnercenter-v<version>-checksums.txt in dist-plugin/ (built with
#               `npm run package:plugin -- --all` when missing): every archive named, every checksum right, each
#               archive holding the plugin binary
#   npm         npm pack of the package into <out>/npm/, and `npm publish --dry-run` of that tarball
#   sdks        bash scripts/gen-sdks.sh (Node.js, Go, Python, each compiled; go vet), then the versions in sdk/;
#               Node.js: npm pack of sdk/nodejs/bin into <out>/npm/ and `npm publish --dry-run --access public`;
#               Python: `python -m build` (sdist and wheel) into <out>/python/ and `twine check --strict`;
#               Go: the module zip the tag sdk/go/v<version> serves, in a module proxy folder <out>/goproxy/
#   outside     a program in each language built against those artifacts in folders outside the repository:
#               TypeScript (npm install of both tarballs, tsc --noEmit), Python (a fresh venv, pip install of the
#               wheel with examples/python-native/requirements.txt), Go (examples/go-native, `go build` and `go vet`
#               with GOPROXY=file://<out>/goproxy: the module as `go get` fetches it from the tag), YAML; then the
#               plugin installed from its linux-amd64 archive into a throwaway PULUMI_HOME (nothing on PATH) and
#               `pulumi preview` of the YAML, TypeScript and Python programs against the emulator from the npm
#               tarball (no Go language host is served here: the Go program is built and vetted, not previewed);
#               and `npm install git+file://…` of a snapshot of the working tree: the `prepare` script builds dist/
#
# Needs: Node 22 (scripts/ensure-node.sh), npm ci, Go, python3; for `outside` the Pulumi CLI and the YAML and Python
# hosts (scripts/ensure-pulumi*.sh, cached). Tools are cached under ${PARTNERCENTER_CACHE_DIR:-~/.cache/pulumi-partnercenter}:
# actionlint/, release-tools/ (a venv with build, twine, setuptools and wheel). Prints each step's time; exits
# non-zero naming the step that failed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BUILD_VERSION=1.6.1
TWINE_VERSION=7.0.0
SETUPTOOLS_VERSION=80.9.0
WHEEL_VERSION=0.45.1
ALL_STEPS=(version actionlint build plugin npm sdks outside)
GO_SDK_MODULE=github.com/pulumi-partnercenter/pulumi-partnercenter/sdk/go

out="" only="" skip="" tag="" keep=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --skip) skip="$2"; shift 2 ;;
    --tag) tag="$2"; shift 2 ;;
    --plugin-dir) PLUGIN_DIR="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "release-dry-run: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# shellcheck source=scripts/ensure-node.sh
source scripts/ensure-node.sh
CACHE="${PARTNERCENTER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter}"
VERSION="$(node -p 'require("./package.json").version')"
PLUGIN_DIR="$(cd "${PLUGIN_DIR:-dist-plugin}" 2>/dev/null && pwd || echo "$ROOT/${PLUGIN_DIR:-dist-plugin}")"
if [[ -z "$out" ]]; then
  out="$(mktemp -d "${TMPDIR:-/tmp}/pulumi-partnercenter-release.XXXXXX")"
  [[ $keep -eq 1 ]] || trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"
OUT="$(cd "$out" && pwd)"
case "$OUT/" in "$ROOT"/*) INSIDE=1 ;; *) INSIDE=0 ;; esac

step_started=$(date +%s)
log() { echo "release-dry-run: [+$(($(date +%s) - step_started))s] $*" >&2; }
wanted() {
  local step="$1"
  if [[ -n "$only" ]]; then [[ ",$only," == *",$step,"* ]] || return 1; fi
  if [[ -n "$skip" ]]; then [[ ",$skip," != *",$step,"* ]] || return 1; fi
  return 0
}
declare -a TIMINGS=()
current_step=""
# Every step runs under errexit (a step function is never called in a `||` or `if` context, which would switch it
# off); the ERR trap names the step and the line that failed.
set -E
trap '[[ $BASH_SUBSHELL -gt 0 ]] || echo "release-dry-run: FAILED in step ${current_step:-setup} (line $LINENO: ${BASH_COMMAND:0:160})" >&2' ERR
run_step() {
  local step="$1" start
  wanted "$step" || return 0
  start=$(date +%s)
  step_started=$start
  current_step="$step"
  echo; echo "=== [release] $step"
  "step_$step"
  TIMINGS+=("$(printf '%-11s %4ss' "$step" "$(($(date +%s) - start))")")
}

# ---------------------------------------------------------------------------------------------------------- steps

step_version() {
  local args=(--check)
  [[ -z "$tag" ]] || args+=(--tag "$tag")
  npx --no-install tsx scripts/sync-version.ts "${args[@]}"
}

step_actionlint() {
  local files=()
  # actionlint v1.7.12 (built once from the Go module proxy, cached) and Debian's shellcheck, which must be there:
  # without it actionlint would skip every run: script.
  # shellcheck source=scripts/ensure-actionlint.sh
  PARTNERCENTER_REQUIRE_SHELLCHECK=1 source scripts/ensure-actionlint.sh
  shopt -s nullglob
  # The workflows, and the example workflow users copy (its *.yaml neighbours are Pulumi stack files).
  files=(.github/workflows/*.yml .github/workflows/*.yaml examples/github-actions/*.yml)
  shopt -u nullglob
  [[ ${#files[@]} -gt 0 ]] || { log "no workflow files"; return 1; }
  "$ACTIONLINT" -no-color "${files[@]}"
  log "actionlint $("$ACTIONLINT" -version | head -n 1) with $(shellcheck --version | sed -n 's/^version: /shellcheck /p'): ${files[*]}"
}

step_build() {
  npm run --silent build
}

plugin_archives() {
  local os arch
  for os in linux darwin windows; do
    for arch in amd64 arm64; do
      echo "pulumi-resource-partnercenter-v$VERSION-$os-$arch.tar.gz"
    done
  done
}

step_plugin() {
  local checksums="pulumi-resource-partnercenter-v$VERSION-checksums.txt" archive missing=0 listed binary
  for archive in $(plugin_archives) "$checksums"; do [[ -f "$PLUGIN_DIR/$archive" ]] || missing=1; done
  if [[ $missing -eq 1 ]]; then
    log "plugin archives for $VERSION missing in $PLUGIN_DIR: npm run package:plugin -- --all"
    PACKAGE_PLUGIN_VERIFY="${PACKAGE_PLUGIN_VERIFY:-0}" npm run --silent package:plugin -- --all
  fi
  [[ -f "$PLUGIN_DIR/$checksums" ]] || { log "$PLUGIN_DIR/$checksums is missing"; return 1; }
  for archive in $(plugin_archives); do
    [[ -f "$PLUGIN_DIR/$archive" ]] || { log "$PLUGIN_DIR/$archive is missing"; return 1; }
    listed=$(awk -v f="$archive" '$2 == f || $2 == "*" f { n++ } END { print n + 0 }' "$PLUGIN_DIR/$checksums")
    [[ "$listed" == 1 ]] || { log "$checksums lists $archive $listed times"; return 1; }
    binary=pulumi-resource-partnercenter
    [[ "$archive" != *-windows-* ]] || binary=pulumi-resource-partnercenter.exe
    tar -tzf "$PLUGIN_DIR/$archive" | sed 's#^\./##' | grep -x "$binary" >/dev/null ||
      { log "$archive does not hold $binary at its root"; return 1; }
  done
  (cd "$PLUGIN_DIR" && sha256sum --check --strict "$checksums") || return 1
  # The linux-amd64 binary, started from its archive with an empty environment, reports this version over gRPC.
  local unpacked
  unpacked="$(mktemp -d)"
  tar -xzf "$PLUGIN_DIR/pulumi-resource-partnercenter-v$VERSION-linux-amd64.tar.gz" -C "$unpacked"
  node scripts/verify-plugin-binary.mjs "$unpacked/pulumi-resource-partnercenter" "$VERSION" || { rm -rf "$unpacked"; return 1; }
  rm -rf "$unpacked"
  log "6 archives and $checksums in $PLUGIN_DIR: every checksum verified; the linux-amd64 binary reports $VERSION"
}

step_npm() {
  local tarball
  mkdir -p "$OUT/npm"
  rm -f "$OUT/npm/pulumi-partnercenter-$VERSION.tgz"
  # `prepare` runs before the pack; dist/ exists (step build), so it builds nothing.
  tarball="$OUT/npm/$(npm pack --silent --pack-destination "$OUT/npm" | tail -n 1)"
  [[ -f "$tarball" ]] || { log "npm pack wrote no tarball"; return 1; }
  tar -tzf "$tarball" | grep -x 'package/dist/provider/index.js' >/dev/null || { log "$tarball lacks dist/"; return 1; }
  npm publish "$tarball" --dry-run --access public --loglevel warn
  log "npm: $tarball"
}

step_sdks() {
  local tarball sdk_bin="$ROOT/sdk/nodejs/bin" venv
  bash scripts/gen-sdks.sh nodejs go python
  npx --no-install tsx scripts/sync-version.ts --check
  # The license travels with every package.
  cp LICENSE "$sdk_bin/" && cp LICENSE sdk/python/ && cp LICENSE sdk/go/

  # Node.js
  mkdir -p "$OUT/npm"
  rm -f "$OUT/npm/pulumi-partnercenter-native-$VERSION.tgz"
  tarball="$OUT/npm/$(cd "$sdk_bin" && npm pack --silent --pack-destination "$OUT/npm" | tail -n 1)"
  [[ -f "$tarball" ]] || { log "npm pack of the Node SDK wrote no tarball"; return 1; }
  (cd "$sdk_bin" && npm publish "$tarball" --dry-run --access public --loglevel warn)
  log "Node.js SDK: $tarball"

  # Python: build and twine in a cached venv; setuptools and wheel pinned there, so the build needs no network.
  venv="$CACHE/release-tools/venv-build$BUILD_VERSION-twine$TWINE_VERSION-setuptools$SETUPTOOLS_VERSION-$(python3 -c 'import sys; print("python%d.%d" % sys.version_info[:2])')"
  if [[ ! -f "$venv/.complete" ]]; then
    log "creating $venv (build, twine, setuptools, wheel from PyPI; once)"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --disable-pip-version-check -q "build==$BUILD_VERSION" "twine==$TWINE_VERSION" \
      "setuptools==$SETUPTOOLS_VERSION" "wheel==$WHEEL_VERSION"
    touch "$venv/.complete"
  fi
  rm -rf "$OUT/python" sdk/python/build sdk/python/*.egg-info
  "$venv/bin/python" -m build --no-isolation --sdist --wheel --outdir "$OUT/python" sdk/python >"$OUT/python-build.log" 2>&1 ||
    { tail -n 30 "$OUT/python-build.log" >&2; return 1; }
  "$venv/bin/twine" check --strict "$OUT"/python/*
  python3 - "$OUT/python" "$VERSION" <<'PY'
import glob, json, sys, zipfile
folder, version = sys.argv[1:3]
wheels = glob.glob(f"{folder}/pulumi_partnercenter-{version}-py3-none-any.whl")
assert len(wheels) == 1, f"no pulumi_partnercenter-{version}-py3-none-any.whl in {folder}"
names = zipfile.ZipFile(wheels[0]).namelist()
for needed in ("pulumi_partnercenter/__init__.py", "pulumi_partnercenter/py.typed", "pulumi_partnercenter/pulumi-plugin.json"):
    assert needed in names, f"{wheels[0]} lacks {needed}"
plugin = json.loads(zipfile.ZipFile(wheels[0]).read("pulumi_partnercenter/pulumi-plugin.json"))
assert plugin.get("version") == version and plugin.get("server"), plugin
PY
  log "Python SDK: $(cd "$OUT/python" && echo *)"

  # Go: the module the tag sdk/go/v<version> serves, as a module proxy folder (what `go get` downloads).
  python3 - "$ROOT/sdk/go" "$OUT/goproxy" "$GO_SDK_MODULE" "v$VERSION" <<'PY'
import datetime, json, os, re, sys, zipfile
src, proxy, module, version = sys.argv[1:5]
escaped = re.sub(r"[A-Z]", lambda m: "!" + m.group(0).lower(), module)
base = os.path.join(proxy, escaped, "@v")
os.makedirs(base, exist_ok=True)
files = []
for dirpath, dirnames, filenames in os.walk(src):
    # The module zip rules: no nested modules, no vendor or VCS folders, regular files only.
    dirnames[:] = sorted(d for d in dirnames if d not in (".git", ".hg", ".svn", ".bzr", "vendor")
                         and not os.path.exists(os.path.join(dirpath, d, "go.mod")))
    for name in sorted(filenames):
        path = os.path.join(dirpath, name)
        if os.path.isfile(path) and not os.path.islink(path):
            files.append(os.path.relpath(path, src).replace(os.sep, "/"))
with zipfile.ZipFile(os.path.join(base, version + ".zip"), "w", zipfile.ZIP_DEFLATED) as z:
    for name in files:
        info = zipfile.ZipInfo(f"{module}@{version}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with open(os.path.join(src, name), "rb") as f:
            z.writestr(info, f.read())
with open(os.path.join(src, "go.mod"), "rb") as f, open(os.path.join(base, version + ".mod"), "wb") as g:
    g.write(f.read())
with open(os.path.join(base, version + ".info"), "w") as f:
    json.dump({"Version": version, "Time": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}, f)
with open(os.path.join(base, "list"), "w") as f:
    f.write(version + "\n")
print(f"release-dry-run: Go SDK: {module}@{version}, {len(files)} files, in {proxy}", file=sys.stderr)
PY
}

# The outside programs. Each lives in its own folder under <out>/outside (outside the repository unless --out names a
# folder inside it, which the step refuses).
step_outside() {
  [[ $INSIDE -eq 0 ]] || { log "--out $OUT is inside the repository: the outside step needs a folder outside it"; return 1; }
  local dir="$OUT/outside" npm_dir="$OUT/npm" package_tgz sdk_tgz pulumi_version
  package_tgz="$npm_dir/pulumi-partnercenter-$VERSION.tgz"
  sdk_tgz="$npm_dir/pulumi-partnercenter-native-$VERSION.tgz"
  [[ -f "$package_tgz" && -f "$sdk_tgz" && -d "$OUT/python" && -d "$OUT/goproxy" ]] ||
    { log "the npm and sdks steps' artifacts are missing in $OUT (run them first, with the same --out)"; return 1; }
  rm -rf "$dir" && mkdir -p "$dir"
  pulumi_version="$(node -p 'require("./node_modules/@pulumi/pulumi/package.json").version')"

  # TypeScript: both npm tarballs, type-checked with strict settings. index.ts is the native SDK's program (previewed
  # below); dynamic.ts uses the package's own dynamic resources and its emulator export.
  mkdir -p "$dir/typescript"
  cat >"$dir/typescript/package.json" <<JSON
{
  "name": "outside-typescript",
  "private": true,
  "main": "index.ts",
  "dependencies": {
    "@pulumi-partnercenter/native": "file:$sdk_tgz",
    "@pulumi/pulumi": "$pulumi_version",
    "pulumi-partnercenter": "file:$package_tgz"
  },
  "devDependencies": {
    "@types/node": "$(node -p 'require("./node_modules/@types/node/package.json").version')",
    "ts-node": "$(node -p 'require("./node_modules/ts-node/package.json").version')",
    "typescript": "$(node -p 'require("./node_modules/typescript/package.json").version')"
  }
}
JSON
  cat >"$dir/typescript/tsconfig.json" <<'JSON'
{ "compilerOptions": { "strict": true, "module": "nodenext", "moduleResolution": "nodenext", "target": "ES2022",
  "skipLibCheck": false, "noEmit": true, "types": ["node"] }, "files": ["index.ts", "dynamic.ts"] }
JSON
  printf 'name: outside-typescript\nruntime: nodejs\nmain: index.ts\n' >"$dir/typescript/Pulumi.yaml"
  cat >"$dir/typescript/index.ts" <<'TS'
import * as pulumi from "@pulumi/pulumi";
import * as partnercenter from "@pulumi-partnercenter/native";

const config = new pulumi.Config();
const customer = new partnercenter.PartnerCustomer("contoso", {
  companyProfile: { domain: config.require("domain") },
  billingProfile: {
    email: "billing@contoso.example",
    culture: "en-US",
    language: "en",
    companyName: "Contoso Outside Ltd",
    defaultAddress: {
      firstName: "Ada",
      lastName: "Ng",
      addressLine1: "1 Microsoft Way",
      city: "Redmond",
      state: "WA",
      postalCode: "98052",
      country: "US",
    },
  },
});
const acceptance = new partnercenter.McaAcceptance("contosoMca", {
  customerId: customer.customerId,
  signatory: { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example" },
});
export const customerId: pulumi.Output<string> = customer.customerId;
export const acceptanceStatus: pulumi.Output<string> = acceptance.status;
TS
  cat >"$dir/typescript/dynamic.ts" <<'TS'
import { PartnerCustomer } from "pulumi-partnercenter";
import { startEmulator } from "pulumi-partnercenter/emulator";

export function declare(domain: string): PartnerCustomer {
  return new PartnerCustomer("dynamic", {
    companyProfile: { domain },
    billingProfile: {
      email: "billing@contoso.example",
      culture: "en-US",
      language: "en",
      companyName: "Contoso Dynamic Ltd",
      defaultAddress: {
        firstName: "Ada",
        lastName: "Ng",
        addressLine1: "1 Microsoft Way",
        city: "Redmond",
        state: "WA",
        postalCode: "98052",
        country: "US",
      },
    },
  });
}
export const emulator: typeof startEmulator = startEmulator;
TS
  (cd "$dir/typescript" && npm install --silent --no-audit --no-fund --prefer-offline >/dev/null && npx --no-install tsc -p .) ||
    { log "TypeScript: install or tsc failed"; return 1; }
  log "TypeScript: both tarballs installed, index.ts and dynamic.ts type-check ($dir/typescript)"

  # Python: a fresh venv; the SDK from the wheel only (--no-index), the rest as the example's requirements say.
  mkdir -p "$dir/python"
  cp examples/python-native/__main__.py examples/python-native/requirements.txt "$dir/python/"
  python3 -m venv "$dir/python/venv"
  (
    cd "$dir/python" &&
      venv/bin/python -m pip install --disable-pip-version-check -q --no-deps --no-index --find-links "$OUT/python" \
        "pulumi_partnercenter==$VERSION" &&
      venv/bin/python -m pip install --disable-pip-version-check -q --find-links "$OUT/python" -r requirements.txt &&
      venv/bin/python -c "import pulumi_partnercenter as p; assert p.PartnerCustomer and p.McaAcceptance; print(p.__file__)" |
      grep "^$dir/python/venv/" >/dev/null &&
      venv/bin/python -m py_compile __main__.py
  ) || { log "Python: install from the wheel or import failed"; return 1; }
  log "Python: wheel + requirements.txt installed in a fresh venv, the program compiles ($dir/python)"

  # Go: examples/go-native as a user has it, the SDK module from the local proxy (as from the tag), the rest from
  # the usual proxy. The module cache may hold an earlier dry run's build of the same version: dropped first.
  mkdir -p "$dir/go"
  cp examples/go-native/main.go examples/go-native/go.mod examples/go-native/go.sum examples/go-native/Pulumi.yaml "$dir/go/"
  local modcache
  modcache="$(go env GOMODCACHE)"
  chmod -R u+w "$modcache/$GO_SDK_MODULE@v$VERSION" "$modcache/cache/download/$GO_SDK_MODULE" 2>/dev/null || true
  rm -rf "$modcache/$GO_SDK_MODULE@v$VERSION" "$modcache/cache/download/$GO_SDK_MODULE"
  (
    cd "$dir/go" || exit 1
    GOPROXY="file://$OUT/goproxy,$(go env GOPROXY)"
    export GOPROXY GONOSUMDB="$GO_SDK_MODULE" GOFLAGS="${GOFLAGS:-} -mod=mod"
    go build -o "$dir/go/go-native" . && go vet . && go list -m "$GO_SDK_MODULE" | grep -x "$GO_SDK_MODULE v$VERSION" >/dev/null
  ) || { log "Go: build against the SDK module failed"; return 1; }
  log "Go: examples/go-native builds and vets against $GO_SDK_MODULE@v$VERSION from the module proxy folder ($dir/go)"

  outside_previews "$dir"
  outside_git_install "$dir"
}

# The plugin from its archive in a throwaway PULUMI_HOME, the emulator from the npm tarball, and `pulumi preview` of
# the YAML, TypeScript and Python programs.
outside_previews() {
  local dir="$1" archive home emulator_pid="" line
  archive="$PLUGIN_DIR/pulumi-resource-partnercenter-v$VERSION-linux-amd64.tar.gz"
  [[ -f "$archive" ]] || { log "$archive is missing (step plugin)"; return 1; }
  # shellcheck source=scripts/ensure-pulumi.sh
  source scripts/ensure-pulumi.sh >/dev/null
  # shellcheck source=scripts/ensure-pulumi-yaml.sh
  source scripts/ensure-pulumi-yaml.sh >/dev/null
  # shellcheck source=scripts/ensure-pulumi-python.sh
  source scripts/ensure-pulumi-python.sh >/dev/null
  home="$dir/pulumi-home"
  mkdir -p "$home" "$dir/state"
  export PULUMI_HOME="$home" PULUMI_BACKEND_URL="file://$dir/state" PULUMI_CONFIG_PASSPHRASE="release-dry-run"
  export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DIY_BACKEND_NO_LEGACY_WARNING=true
  unset PULUMI_CONFIG_PASSPHRASE_FILE
  # The CLI would prefer a plugin on PATH (this repository's bin/ launcher, say) to the installed one.
  if command -v pulumi-resource-partnercenter >/dev/null 2>&1; then
    log "a pulumi-resource-partnercenter is on PATH ($(command -v pulumi-resource-partnercenter)): the preview must use the archive's"
    return 1
  fi
  pulumi plugin install resource partnercenter "$VERSION" --file "$archive" >/dev/null
  pulumi plugin ls >"$dir/plugins.txt"
  grep -E "^partnercenter +resource +$VERSION" "$dir/plugins.txt" >/dev/null || { log "the plugin did not install"; return 1; }

  # The emulator, from the package installed out of the npm tarball.
  node "$dir/typescript/node_modules/pulumi-partnercenter/dist/emulator/cli.js" --port 0 --json >"$dir/emulator.json" \
    2>"$dir/emulator.log" &
  emulator_pid=$!
  for _ in $(seq 1 100); do [[ -s "$dir/emulator.json" ]] && break; sleep 0.2; done
  line="$(head -n 1 "$dir/emulator.json")"
  [[ -n "$line" ]] || { kill "$emulator_pid" 2>/dev/null; log "the emulator did not start: $(cat "$dir/emulator.log")"; return 1; }
  local status=0
  set +e
  (
    set -euo pipefail
    field() { node -e 'const e = JSON.parse(process.argv[1]); console.log(process.argv[2].split(".").reduce((v, k) => v[k], e))' "$line" "$1"; }
    export NODE_EXTRA_CA_CERTS
    NODE_EXTRA_CA_CERTS="$(field caCertificatePath)"
    preview() {
      local name="$1" project="$2" want="$3" summary
      (
        cd "$project"
        pulumi stack init "$name" --non-interactive >/dev/null
        pulumi config set partnercenter:endpoint "$(field url)"
        pulumi config set partnercenter:authority "$(field authority)"
        pulumi config set partnercenter:tenantId "$(field tenantId)"
        pulumi config set partnercenter:clientId "$(field credentials.clientId)"
        pulumi config set --secret partnercenter:clientSecret "$(field credentials.clientSecret)"
        pulumi config set --secret partnercenter:refreshToken "$(field credentials.refreshToken)"
        pulumi config set partnercenter:mcaAcceptanceBase "$(field url)"
        pulumi config set domain "outside${name}$(date +%s).onmicrosoft.com"
        pulumi preview --non-interactive --json >"$dir/preview-$name.json" 2>"$dir/preview-$name.log" ||
          { cat "$dir/preview-$name.log" "$dir/preview-$name.json" >&2; exit 1; }
        summary="$(node -p 'JSON.stringify(require(process.argv[1]).changeSummary)' "$dir/preview-$name.json")"
        node -e 'const s = JSON.parse(process.argv[1]); if ((s.create ?? 0) !== Number(process.argv[2])) process.exit(1)' \
          "$summary" "$want" || { log "$name: preview planned $summary, expected $want creates"; exit 1; }
        log "$name: pulumi preview against the emulator: $summary"
      )
    }
    mkdir -p "$dir/yaml"
    cp examples/yaml-mca/Pulumi.yaml "$dir/yaml/"
    preview yaml "$dir/yaml" 3
    preview typescript "$dir/typescript" 3
    # The example names its venv in Pulumi.yaml (runtime.options.virtualenv); this repository's Python host
    # (v3.68.0, scripts/ensure-pulumi-python.sh) reads that option only from its command line, so the venv is
    # activated instead, as `source venv/bin/activate` would.
    printf 'name: outside-python\nruntime: python\n' >"$dir/python/Pulumi.yaml"
    PATH="$dir/python/venv/bin:$PATH" VIRTUAL_ENV="$dir/python/venv" preview python "$dir/python" 3
  )
  status=$?
  set -e
  kill "$emulator_pid" 2>/dev/null || true
  wait "$emulator_pid" 2>/dev/null || true
  [[ $status -eq 0 ]] || { log "a preview failed (logs: $dir/preview-*.log)"; return 1; }
}

# A git install: npm clones the repository, installs its devDependencies, runs `prepare` (which builds dist/), packs
# it and installs that. The snapshot is the working tree's tracked and untracked-but-not-ignored files, committed in a
# throwaway repository (in CI's clean clone, exactly HEAD).
outside_git_install() {
  local dir="$1" repo="$1/git-snapshot" consumer="$1/git-install"
  mkdir -p "$repo" "$consumer"
  git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [[ -e "$f" ]] && printf '%s\0' "$f"; done |
    tar --null -T - -cf - | tar -xf - -C "$repo"
  git -C "$repo" init -q
  git -C "$repo" add -A
  git -C "$repo" -c user.name=release-dry-run -c user.email=release-dry-run@localhost commit -q -m snapshot
  printf '{ "name": "outside-git-install", "private": true }\n' >"$consumer/package.json"
  (cd "$consumer" && npm install --silent --no-audit --no-fund --prefer-offline "git+file://$repo" >/dev/null)
  [[ -f "$consumer/node_modules/pulumi-partnercenter/dist/provider/index.js" ]] ||
    { log "git install: the installed package has no dist/ (prepare did not build it)"; return 1; }
  [[ -x "$consumer/node_modules/.bin/partner-center-emulator" ]] || { log "git install: no partner-center-emulator bin"; return 1; }
  (cd "$consumer" && node -e 'if (typeof require("pulumi-partnercenter").PartnerCustomer !== "function") process.exit(1)')
  log "git install: npm install git+file://… ran prepare, the package loads ($consumer)"
}

# ------------------------------------------------------------------------------------------------------------ run

log "version $VERSION; artifacts in $OUT; plugin archives in $PLUGIN_DIR"
for step in "${ALL_STEPS[@]}"; do run_step "$step"; done
echo
echo "=== [release] dry run of $VERSION: every step passed"
for t in "${TIMINGS[@]}"; do echo "  $t"; done
if [[ -n "$(trap -p EXIT)" ]]; then
  echo "  artifacts: $OUT (removed on exit; --out DIR or --keep keeps them)"
else
  echo "  artifacts: $OUT (npm/, python/, goproxy/, outside/)"
fi
