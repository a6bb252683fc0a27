#!/usr/bin/env bash
# Keeps a file holding a fresh GitHub OIDC token for workload identity federation, for as long as a job runs.
# Copy it to .github/scripts/refresh-oidc-token.sh next to the workflow (partnercenter.yml calls it from there).
#
# GitHub's OIDC tokens expire five minutes after they are issued, and Entra refuses an expired client assertion
# (AADSTS700024), so a token fetched once at the start of a job fails every token request made later — a long
# `pulumi up` waiting on Partner Center, or a second step. The provider re-reads the file whenever it changes
# (partnercenter:federatedTokenFile / PARTNERCENTER_FEDERATED_TOKEN_FILE), so keeping the file fresh is enough.
#
#   refresh-oidc-token.sh start FILE   fetch a token into FILE now — the step fails if that is not possible, and
#                                      FILE is then not written at all — then refresh FILE in the background every
#                                      PARTNERCENTER_OIDC_REFRESH_SECONDS (default 60), and append
#                                      PARTNERCENTER_FEDERATED_TOKEN_FILE=FILE to $GITHUB_ENV for the later steps
#   refresh-oidc-token.sh stop FILE    stop the background refresher and report the refreshes that failed
#   refresh-oidc-token.sh once FILE    fetch one token into FILE (what start does first)
#
# Needs the job's `permissions: id-token: write` (GitHub then sets ACTIONS_ID_TOKEN_REQUEST_URL and
# ACTIONS_ID_TOKEN_REQUEST_TOKEN; pull requests from forks get neither). The request token is good for the whole job
# (about six hours), so a refresh can always ask again. Each token is written to a new file in the same directory,
# then renamed over FILE: a reader sees the old token or the new one, never half of one, never an empty file.
#
# Settings: PARTNERCENTER_OIDC_AUDIENCE (default api://AzureADTokenExchange, what Entra federated credentials take),
#           PARTNERCENTER_OIDC_REFRESH_SECONDS (default 60), PARTNERCENTER_OIDC_MAX_SECONDS (the refresher's lifetime,
#           default 21600: GitHub's job limit), PARTNERCENTER_OIDC_RETRIES (curl retries per fetch, default 3).
set -euo pipefail

die() {
  echo "::error::refresh-oidc-token: $*" >&2
  exit 1
}

usage() {
  echo "usage: $0 start|stop|once FILE" >&2
  exit 2
}

# fetch_into FILE: one token from GitHub into FILE (atomically), or a failure that leaves FILE as it was.
fetch_into() {
  local file="$1" url audience response token tmp
  if [ -z "${ACTIONS_ID_TOKEN_REQUEST_URL:-}" ] || [ -z "${ACTIONS_ID_TOKEN_REQUEST_TOKEN:-}" ]; then
    die "ACTIONS_ID_TOKEN_REQUEST_URL/ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set: give the job 'permissions: id-token: write' (pull requests from forks get no token)"
  fi
  audience="${PARTNERCENTER_OIDC_AUDIENCE:-api://AzureADTokenExchange}"
  url="$ACTIONS_ID_TOKEN_REQUEST_URL"
  case "$url" in *\?*) url="$url&" ;; *) url="$url?" ;; esac
  url="${url}audience=$(jq -rn --arg value "$audience" '$value | @uri')"
  # The request token travels on stdin (curl -H @-), never on a command line that ps would show.
  if ! response=$(printf 'Authorization: bearer %s\n' "$ACTIONS_ID_TOKEN_REQUEST_TOKEN" |
    curl --fail --silent --show-error --max-time 30 \
      --retry "${PARTNERCENTER_OIDC_RETRIES:-3}" --retry-delay 2 --retry-connrefused \
      -H @- -H "Accept: application/json" "$url"); then
    die "GitHub's OIDC token endpoint did not answer with a token (see curl's message above)"
  fi
  # `// empty` and -e: a missing, null or empty value fails here instead of writing "null" or nothing.
  token=$(jq -er '.value // empty | select(type == "string" and length > 0)' <<<"$response" 2>/dev/null) ||
    die "GitHub's OIDC token endpoint answered without a token"
  [[ "$token" =~ ^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$ ]] ||
    die "GitHub's OIDC token endpoint answered with something that is not a JWT"
  tmp=$(mktemp "$(dirname "$file")/.oidc-token.XXXXXX")
  chmod 600 "$tmp"
  printf '%s' "$token" >"$tmp"
  mv -f "$tmp" "$file"
}

# refresher FILE: runs in the background until stopped, its lifetime is over, or its pid file is gone.
refresher() {
  local file="$1" interval="${PARTNERCENTER_OIDC_REFRESH_SECONDS:-60}" deadline
  deadline=$(($(date +%s) + ${PARTNERCENTER_OIDC_MAX_SECONDS:-21600}))
  while [ "$(date +%s)" -lt "$deadline" ] && [ -f "$file.pid" ]; do
    sleep "$interval"
    [ -f "$file.pid" ] || break
    # A failed refresh keeps the previous token (valid for a few more minutes) and is reported by `stop`.
    if (fetch_into "$file") 2>>"$file.log"; then
      echo "refreshed $(date -u +%FT%TZ)" >>"$file.log"
    else
      echo "FAILED $(date -u +%FT%TZ)" >>"$file.log"
    fi
  done
}

[ $# -eq 2 ] || usage
command="$1"
file="$2"
[ -n "$file" ] || usage
command -v curl >/dev/null || die "curl is not installed"
command -v jq >/dev/null || die "jq is not installed"

case "$command" in
  once)
    fetch_into "$file"
    ;;
  start)
    mkdir -p "$(dirname "$file")"
    fetch_into "$file"
    : >"$file.log"
    # The pid file exists before the refresher starts (it stops when the file is gone), then names the refresher.
    echo $$ >"$file.pid"
    nohup bash "$0" __refresher "$file" </dev/null >/dev/null 2>&1 &
    echo $! >"$file.pid"
    if [ -n "${GITHUB_ENV:-}" ]; then
      echo "PARTNERCENTER_FEDERATED_TOKEN_FILE=$file" >>"$GITHUB_ENV"
    fi
    echo "refresh-oidc-token: token in $file, refreshed every ${PARTNERCENTER_OIDC_REFRESH_SECONDS:-60}s (pid $!)"
    ;;
  __refresher)
    refresher "$file"
    ;;
  stop)
    if [ -f "$file.pid" ]; then
      pid=$(cat "$file.pid")
      rm -f "$file.pid"
      kill "$pid" 2>/dev/null || true
    fi
    failed=$(grep -c '^FAILED' "$file.log" 2>/dev/null || true)
    refreshed=$(grep -c '^refreshed' "$file.log" 2>/dev/null || true)
    echo "refresh-oidc-token: ${refreshed:-0} refresh(es), ${failed:-0} failed"
    if [ "${failed:-0}" -gt 0 ]; then
      echo "::warning::refresh-oidc-token: ${failed} refresh(es) of the OIDC token failed (the previous token was kept):"
      grep -v '^refreshed' "$file.log" | tail -n 20
    fi
    rm -f "$file" "$file.log"
    ;;
  *)
    usage
    ;;
esac
