#!/usr/bin/env bash
# Re-check the corpus against real Go: every syntax/, seeds/ and bench/ file must build,
# and every invalid/NAME.go must fail with exactly invalid/NAME.goerr on stderr.
# usage: tests/corpus/verify.sh [path/to/go-oracle]
set -u
oracle="${1:-/work/shared/tools/go-oracle}"
home="${GOM_ORACLE_HOME:-$HOME/.cache/gom-go-oracle}"
export GOPROXY=off GOFLAGS=-mod=mod GOTOOLCHAIN=local GOTELEMETRY=off GOCACHE="$home/gocache"
cd "$(dirname "$0")"
"$oracle" --version >/dev/null || exit 2   # installs Go on first use
fail=0
for f in syntax/*.go seeds/*.go bench/*.go; do
  d=$(mktemp -d); cp "$f" "$d/main.go"; printf 'module oracle\n\ngo 1.27\n' > "$d/go.mod"
  if ! (cd "$d" && "$home/venv/bin/go" build -o prog . 2>err); then echo "FAIL build: $f"; cat "$d/err"; fail=1; fi
  rm -rf "$d"
done
for f in invalid/*.go; do
  got=$("$oracle" "$f" 2>&1 >/dev/null); rc=$?
  if [ $rc -ne 1 ] || [ "$got" != "$(cat "${f%.go}.goerr")" ]; then echo "FAIL diag: $f (rc=$rc)"; echo "$got"; fail=1; fi
done
[ $fail -eq 0 ] && echo "corpus OK"
exit $fail
