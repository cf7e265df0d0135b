#!/usr/bin/env bash
# oracle.sh: go-oracle for programs importing golang.org/x/sync/errgroup.
#
#   tests/programs/errgroup/oracle.sh FILE.gom
#
# go-oracle builds offline, where golang.org/x/sync is not in the module cache; the Go
# toolchain vendors the real x/sync (cmd/vendor), so this builds FILE against that copy
# through a `replace` directive. Output, stderr and exit code are the program's own.
set -euo pipefail
home="${GOM_ORACLE_HOME:-$HOME/.cache/gom-go-oracle}"
/work/shared/tools/go-oracle --version >/dev/null
go="$home/venv/bin/go"
goroot="$("$go" env GOROOT)"
export GOPROXY=off GOFLAGS=-mod=mod GOTOOLCHAIN=local GOTELEMETRY=off
export GOCACHE="$home/gocache" GOPATH="$home/gopath"
src="$1"; shift
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/xsync"
cp -r "$goroot/src/cmd/vendor/golang.org/x/sync/errgroup" "$work/xsync/"
printf 'module golang.org/x/sync\n\ngo 1.25\n' > "$work/xsync/go.mod"
mkdir "$work/prog"
cp "$src" "$work/prog/main.go"
printf 'module oracle\n\ngo 1.27\n\nrequire golang.org/x/sync v0.20.0\n\nreplace golang.org/x/sync => ../xsync\n' > "$work/prog/go.mod"
if ! (cd "$work/prog" && "$go" build -trimpath -o prog . 2> build.err); then
  sed "s#\./main\.go#$(basename "$src")#g" "$work/prog/build.err" >&2
  exit 1
fi
set +e
"$work/prog/prog" "$@"
