#!/bin/sh
# Speed of `lastrollup lint` against ripgrep on the same tree, and memory on
# huge inputs. Used for BENCHMARKS.md, "lint".
#
#     scripts/bench-lint.sh TREE [BINARY]
#
# TREE: a large source tree (BENCHMARKS.md used a copy of ~/.cargo/registry/src).
# BINARY: the lastrollup binary (default target/release/lastrollup; build it
# with `cargo build --profile bench -p lastrollup-cli`).
#
# The rg pattern set is the lint prefilter itself: the literal strings of
# PREFILTER in crates/lastrollup/src/lint/source.rs, matched case-insensitively
# (`rg -i -F -f`), which is exactly what decides which lines reach the rules.
# Both tools use the same walker defaults (the `ignore` crate: .gitignore
# inside git repositories, hidden files skipped, no symbolic links followed)
# and print their results into a pipe (hyperfine --output=pipe: ripgrep stops
# at the first match of each file when its output is /dev/null).
set -eu
tree=${1:?usage: scripts/bench-lint.sh TREE [BINARY]}
bin=${2:-target/release/lastrollup}
here=$(dirname "$0")
patterns=$(mktemp)
trap 'rm -f "$patterns"' EXIT
sed -n '/^const PREFILTER/,/^];/p' "$here/../crates/lastrollup/src/lint/source.rs" |
    sed -n 's/^ *"\(.*\)",$/\1/p' >"$patterns"
echo "patterns ($(wc -l <"$patterns")): $(tr '\n' ' ' <"$patterns")"
echo "tree: $(find "$tree" -type f | wc -l) files, $(find "$tree" -type f -print0 | du -cb --files0-from=- | tail -1 | cut -f1) bytes"
echo "rg lines matched: $(rg -i -F -f "$patterns" --no-heading "$tree" | wc -l)"
"$bin" lint "$tree" >/dev/null 2>&1 || true
hyperfine --warmup 2 --runs "${RUNS:-10}" --output=pipe -i \
    "rg -i -F -f $patterns $tree" \
    "$bin lint $tree"
