#!/usr/bin/env bash
# verify.sh: check every errorcheck test in this directory against real Go.
#
#   tests/programs/check/verify.sh [FILE.gom ...]    # default: every *.gom here
#
# For each file whose first line is exactly `// errorcheck`, run go-oracle
# (`go build` under real Go) and compare Go's errors with the `// ERROR "re" ...`
# comments, line by line:
#   * every error Go reports must be on a line with an ERROR comment, and be
#     matched by one of that line's regexps (one regexp per error);
#   * every regexp must match a distinct error Go reported on that line;
#   * Go must not print `too many errors` (keep files to <= 8 errors).
# Only the first line of each Go error is compared; the tab-indented
# continuation lines Go prints (e.g. `\thave (number)` / `\twant (int, int)`
# after an argument-count error) are ignored.
# Files whose first line is `// errorcheck gom-only` are skipped: they encode
# deliberate differences between gom and Go (see generics_unsupported.gom).
# Exit status 0 iff every checked file agrees with Go.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
oracle="${GO_ORACLE:-/work/shared/tools/go-oracle}"
if [ $# -eq 0 ]; then set -- "$here"/*.gom; fi
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
# run the oracle on all files in parallel, then compare
printf '%s\0' "$@" | xargs -0 -P "${JOBS:-8}" -I{} sh -c '
  f="$1"; o="$2"; b="$(basename "$f")"
  head -n1 "$f" | grep -qx "// errorcheck" || exit 0
  "$3" "$f" > "$o/$b.out" 2> "$o/$b.err" < /dev/null; echo $? > "$o/$b.rc"' _ {} "$out" "$oracle"
python3 - "$out" "$@" <<'PY'
import os, re, sys
out, files = sys.argv[1], sys.argv[2:]
err_comment = re.compile(r'//\s*ERROR\s+(.*)$')
quoted = re.compile(r'"((?:[^"\\]|\\.)*)"')  # raw regexp text; \" stands for a quote
bad = checked = skipped = nerr = 0
for path in files:
    name = os.path.basename(path)
    src = open(path).read().split('\n')
    first = src[0].strip() if src else ''
    if first != '// errorcheck':
        if first.startswith('// errorcheck'):
            skipped += 1
            print(f'skip {name} ({first[3:]})')
        else:
            bad += 1
            print(f'FAIL {name}: first line must be `// errorcheck`')
        continue
    checked += 1
    want = {}
    for i, line in enumerate(src, 1):
        m = err_comment.search(line)
        if m:
            res = quoted.findall(m.group(1))
            if not res:
                print(f'FAIL {name}:{i}: ERROR comment without a quoted regexp'); bad += 1
            want[i] = res
            nerr += len(res)
    text = open(os.path.join(out, name + '.err')).read()
    got = {}
    problems = []
    for l in text.split('\n'):
        m = re.match(re.escape(name) + r':(\d+):(\d+): (.*)$', l)
        if m:
            got.setdefault(int(m.group(1)), []).append(m.group(3))
        elif 'too many errors' in l:
            problems.append('Go printed "too many errors": split the file')
    for line in sorted(set(want) | set(got)):
        msgs = list(got.get(line, []))
        for rx in want.get(line, []):
            try:
                r = re.compile(rx)
            except re.error as e:
                problems.append(f'{line}: bad regexp {rx!r}: {e}'); continue
            hit = next((k for k, m in enumerate(msgs) if r.search(m)), None)
            if hit is None:
                problems.append(f'{line}: no Go error matches {rx!r} (Go: {got.get(line, [])})')
            else:
                msgs.pop(hit)
        for m in msgs:
            problems.append(f'{line}: unexpected Go error: {m}')
    if text.startswith('# ') and not got:
        problems.append('build failed but no error lines could be parsed:\n' + text)
    if problems:
        bad += 1
        print(f'FAIL {name}')
        for p in problems: print('   ', p)
    else:
        print(f'ok   {name} ({sum(len(v) for v in want.values())} errors)')
print(f'{checked} checked, {skipped} skipped, {nerr} ERROR regexps, {bad} failing')
sys.exit(1 if bad else 0)
PY
