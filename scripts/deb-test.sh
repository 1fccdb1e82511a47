#!/usr/bin/env bash
# Builds the Debian package with cargo-deb (a release build: several
# minutes), unpacks it into a scratch root with `dpkg -x` (nothing is
# installed on this machine), and runs what the package holds: the binary's
# --version and a `check` of the bundled example host, its man pages and
# completions against the committed ones, its licences and README.
#
#   scripts/deb-test.sh            build, then test
#   scripts/deb-test.sh FILE.deb   test a package already built
#
# Installs cargo-deb (`cargo install cargo-deb --locked`) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

fail() {
    echo "deb-test: FAILED: $*" >&2
    exit 1
}

if [ $# -ge 1 ]; then
    deb=$1
else
    if ! cargo deb --version >/dev/null 2>&1; then
        echo "deb-test: installing cargo-deb"
        cargo install cargo-deb --locked
    fi
    # cargo deb prints the package's path as its last line.
    deb=$(cargo deb -p lastrollup-cli | tail -n 1)
fi
[ -f "$deb" ] || fail "no package at '$deb'"
echo "deb-test: $deb ($(stat -c %s "$deb") bytes)"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb --field "$deb" Package Version Architecture Depends Section
dpkg -x "$deb" "$root"

# Every file the package must hold.
expect=(
    usr/bin/lastrollup
    usr/share/bash-completion/completions/lastrollup
    usr/share/zsh/vendor-completions/_lastrollup
    usr/share/fish/vendor_completions.d/lastrollup.fish
    usr/share/doc/lastrollup/README.md
    usr/share/doc/lastrollup/LICENSE-MIT
    usr/share/doc/lastrollup/LICENSE-APACHE
    usr/share/doc/lastrollup/copyright
)
for page in docs/man/*.1; do
    expect+=("usr/share/man/man1/$(basename "$page").gz")
done
for f in "${expect[@]}"; do
    [ -f "$root/$f" ] || fail "the package has no $f"
done

# The man pages and completions are the committed ones (which
# tests/generated.rs keeps equal to what the binary generates).
for page in docs/man/*.1; do
    gzip -dc "$root/usr/share/man/man1/$(basename "$page").gz" | cmp -s - "$page" ||
        fail "usr/share/man/man1/$(basename "$page").gz differs from $page"
done
cmp -s "$root/usr/share/bash-completion/completions/lastrollup" completions/lastrollup.bash ||
    fail "bash completion differs"
cmp -s "$root/usr/share/zsh/vendor-completions/_lastrollup" completions/_lastrollup ||
    fail "zsh completion differs"
cmp -s "$root/usr/share/fish/vendor_completions.d/lastrollup.fish" completions/lastrollup.fish ||
    fail "fish completion differs"
cmp -s "$root/usr/share/doc/lastrollup/LICENSE-MIT" LICENSE-MIT || fail "LICENSE-MIT differs"
cmp -s "$root/usr/share/doc/lastrollup/LICENSE-APACHE" LICENSE-APACHE || fail "LICENSE-APACHE differs"

# The binary: small, stripped, and it runs from where it was unpacked.
bin=$root/usr/bin/lastrollup
size=$(stat -c %s "$bin")
[ "$size" -le 10000000 ] || fail "usr/bin/lastrollup is $size bytes, more than 10 MB"
if command -v readelf >/dev/null 2>&1; then
    if readelf -S "$bin" | grep -qE '\.(symtab|debug_info)'; then
        fail "usr/bin/lastrollup is not stripped"
    fi
fi
echo "deb-test: usr/bin/lastrollup is $size bytes"

repo=$(pwd)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
home=$root/home
mkdir -p "$home"
# A HOME of its own: no database of this machine's user is found.
out=$(cd / && env -u LASTROLLUP_DB HOME="$home" XDG_DATA_HOME= "$bin" --version) ||
    fail "lastrollup --version exited with $?"
echo "$out"
[ "$(echo "$out" | head -n 1)" = "lastrollup $version" ] || fail "--version does not say lastrollup $version"
echo "$out" | grep -q '^catalog:  [0-9]* updates, newest KB' || fail "--version names no catalog update"
echo "$out" | grep -q "^database: none at $home/.local/share/lastrollup/advisories.lrdb (default)" ||
    fail "--version does not name the default database path"

# A check of the bundled example host: behind (exit code 1), with its plan.
set +e
report=$(cd / && env -u LASTROLLUP_DB HOME="$home" XDG_DATA_HOME= NO_COLOR=1 "$bin" check --as-of 2026-11-23 \
    "$repo/examples/srv-hist01-systeminfo.txt" "$repo/examples/srv-hist01-reg.txt" "$repo/examples/srv-hist01-qfe.txt")
code=$?
set -e
[ "$code" -eq 1 ] || fail "check exited with $code, not 1 (behind)"
echo "$report" | grep -q '^SRV-HIST01 ' || fail "check names no host SRV-HIST01"
echo "$report" | grep -q 'security baseline 2019-03 (KB4489887)' || fail "check gives no baseline"
echo "$report" | grep -q 'KB5073697' || fail "check names no final rollup"
echo "$report" | head -n 3

echo "deb-test: the package test took $((SECONDS - started)) s"
echo "deb-test: 1 passed, 0 failed"
