#!/usr/bin/env bash
# Regenerates src/fmt/isprint.rs from real Go's strconv/isprint.go (the tables behind
# strconv.IsPrint, which %q and strconv.Quote consult). Usage, from the repo root:
#   src/fmt/testdata/gen_isprint.sh [GOROOT] > src/fmt/isprint.rs && rustfmt src/fmt/isprint.rs
set -euo pipefail
goroot="${1:-$HOME/.cache/gom-go-oracle/venv/lib/python3.11/site-packages/go}"
src="$goroot/src/strconv/isprint.go"
cat <<'HEADER'
//! Unicode printability data (the Unicode version of the Go release used): which code points are
//! printable (categories L, M, N, P, S, plus U+0020) and which extra ones are graphic
//! (the space separators, Zs). Data, not code: extracted by `testdata/gen_isprint.sh` from
//! Go's `strconv/isprint.go`, which Go generates from its Unicode tables; keeping Go's
//! exact tables keeps `%q` and `strconv.Quote` in step with the Unicode version real Go
//! uses. Layout: `IS_PRINT16`/`IS_PRINT32` are sorted inclusive `[lo, hi]` pairs,
//! `IS_NOT_PRINT16` lists exceptions inside those ranges, `IS_NOT_PRINT32` the plane-1
//! exceptions as offsets from U+10000, and `IS_GRAPHIC` the non-printable graphic runes.
//! Regenerate with the script; do not edit by hand.
HEADER
echo
awk '
/^var [A-Za-z0-9]+ = \[\]uint(16|32)\{/ {
  name=$2; ty=$4; sub(/\[\]/,"",ty); sub(/\{.*/,"",ty);
  up=toupper(substr(name,1,1)) substr(name,2)
  gsub(/[A-Z]/,"_&",up); up=toupper(up); sub(/^_/,"",up)
  rty = (ty=="uint16") ? "u16" : "u32"
  printf "pub(super) const %s: &[%s] = &[\n", up, rty; inside=1; next
}
inside && /^\}/ { print "];\n"; inside=0; next }
inside { gsub(/\/\/.*/,""); if ($0 ~ /0x/) print "    " $0 }
' "$src"
