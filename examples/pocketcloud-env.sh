# Sourced by the examples' scripts: point the aws CLI at pocketcloud and stop early if it is not running.
export AWS_ENDPOINT_URL=${AWS_ENDPOINT_URL:-http://127.0.0.1:4566}
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-test} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-test}
export AWS_PAGER=""
command -v aws >/dev/null 2>&1 || aws() { python3 -m awscli "$@"; }
if ! curl -fsS -o /dev/null --max-time 5 "$AWS_ENDPOINT_URL/_pocketcloud/health"; then
  echo "pocketcloud is not answering on $AWS_ENDPOINT_URL: start it with 'pocketcloud up' (or set AWS_ENDPOINT_URL)" >&2
  exit 1
fi
step() { printf '==> %s\n' "$*"; }
