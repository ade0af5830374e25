#!/usr/bin/env bash
# The Windows release of kongtun, built on Linux: kongtun.exe and kongtun_ffi.dll for
# x86_64-pc-windows-gnu (Debian's mingw-w64), packed with the rule packs and the samples in a
# zip, and the zip smoke-tested under Wine: what `validate`, `evaluate` and the receivables
# print (JSON) must be, byte for byte, what the Linux build prints.
#
#   scripts/release.sh              build, pack, smoke-test   -> dist/kongtun-VERSION-windows-x86_64.zip
#   scripts/release.sh --no-smoke   build and pack only (no Wine needed)
#
# Needs: rustup target add x86_64-pc-windows-gnu; apt-get install gcc-mingw-w64-x86-64; for
# the smoke test wine64 (Debian's Wine 8). Environment: CARGO_TARGET_DIR as cargo takes it;
# KONGTUN_LINUX=path of a Linux kongtun to compare with (default: the debug build, which
# `cargo test` builds anyway).
#
# Wine 8 lacks bcryptprimitives.dll (ProcessPrng, which Rust's standard library calls on
# Windows for random numbers). For the smoke test only, a stub built here with the same mingw
# forwards it to advapi32's SystemFunction036 and sits beside the exe in the test folder; it is
# not in the zip: Windows 10 and later have the real DLL.
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=1
case "${1:-}" in
  --no-smoke) smoke=0 ;;
  "") ;;
  *) echo "usage: scripts/release.sh [--no-smoke]" >&2; exit 2 ;;
esac

target=x86_64-pc-windows-gnu
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
name="kongtun-$version-windows-x86_64"
target_dir=${CARGO_TARGET_DIR:-target}
dist=dist
started=$SECONDS

need() {
  command -v "$1" >/dev/null || { echo "release: $1 not found: $2" >&2; exit 2; }
}
need x86_64-w64-mingw32-gcc "apt-get install gcc-mingw-w64-x86-64"
if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx "$target"; then
  echo "release: rustup target add $target"
  rustup target add "$target"
fi

echo "== cargo build --release --target $target (kongtun.exe, kongtun_ffi.dll)"
# No debug info (the release profile's line tables serve Linux backtraces): the Windows
# target folder is then 317 MB instead of 469 MB, and the build about 10 s shorter.
CARGO_PROFILE_RELEASE_DEBUG=false cargo build --release --locked --target "$target" -p kongtun-cli -p kongtun-ffi
out="$target_dir/$target/release"
echo "   built in $((SECONDS - started)) s"

echo "== pack $dist/$name.zip"
stage="$dist/$name"
rm -rf "$stage" "$stage.zip"
mkdir -p "$stage/examples" "$stage/include"
cp "$out/kongtun.exe" "$out/kongtun_ffi.dll" "$stage/"
# Built above without debug info; stripped all the same, should a CARGO_PROFILE_* setting
# bring line tables back (they were half the exe, and no one reads them on Windows).
x86_64-w64-mingw32-strip --strip-debug "$stage/kongtun.exe" "$stage/kongtun_ffi.dll"
cp include/kongtun.h "$stage/include/"
mkdir -p "$stage/examples/c" && cp examples/c/evaluate.c "$stage/examples/c/"
cp README.md "$stage/"
cp -r rules "$stage/"
cp -r examples/claims examples/invalid-claims examples/receivables examples/statements examples/eclaim16 \
  examples/eclaim16.adjrw.csv examples/claim-sheets examples/claims-not-sent "$stage/examples/"
# The claim sheet's columns, for the clerks who fill it in Excel (README: "Claims from Excel").
mkdir -p "$stage/docs" && cp docs/claim-sheet.md "$stage/docs/"
# The books of the samples with no flags: `kongtun receivables aging` in the unzipped folder.
cat >"$stage/kongtun.toml" <<'TOML'
# kongtun's settings for this folder (README: "The configuration file").
rules = "rules"

[receivables]
claims = "examples/receivables/evaluated-*.jsonl"
statements = "examples/receivables/statements.csv"
events = "examples/receivables/events.jsonl"
visits = "examples/receivables/visits.csv"
TOML
(cd "$dist" && rm -f "$name.zip" && if command -v zip >/dev/null; then zip -qr "$name.zip" "$name"; \
  else python3 -m zipfile -c "$name.zip" "$name"; fi)
echo "   $dist/$name.zip: $(du -m "$dist/$name.zip" | cut -f1) MB; kongtun.exe $(du -m "$stage/kongtun.exe" | cut -f1) MB, kongtun_ffi.dll $(du -m "$stage/kongtun_ffi.dll" | cut -f1) MB"

[ "$smoke" = 1 ] || exit 0

echo "== smoke test under Wine: the zip, unpacked, against the Linux build"
wine=$(command -v wine64 || command -v wine || { [ -x /usr/lib/wine/wine64 ] && echo /usr/lib/wine/wine64; } || true)
[ -n "$wine" ] || { echo "release: wine64 not found: apt-get install wine64" >&2; exit 2; }
linux=${KONGTUN_LINUX:-}
if [ -z "$linux" ]; then
  cargo build --locked -p kongtun-cli
  linux="$target_dir/debug/kongtun"
fi
linux=$(realpath "$linux")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m zipfile -e "$dist/$name.zip" "$work"
here="$work/$name"
cat >"$work/prng.c" <<'C'
/* Smoke test only: Wine 8 has no bcryptprimitives.dll. ProcessPrng fills the buffer from
   advapi32's SystemFunction036 (RtlGenRandom), as Windows' own implementation does. */
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG n = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, n)) return FALSE;
        data += n;
        length -= n;
    }
    return TRUE;
}
C
x86_64-w64-mingw32-gcc -shared -O2 -o "$here/bcryptprimitives.dll" "$work/prng.c" -ladvapi32
export WINEPREFIX="$work/wine" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
wine_started=$SECONDS
timeout 300 "$wine" wineboot --init >/dev/null 2>&1 || true
echo "   Wine prefix made in $((SECONDS - wine_started)) s"

passed=0 failed=0
# judge WHAT STATUS_LINUX STATUS_WINDOWS: the two builds' outputs, $work/WHAT.linux and
# $work/WHAT.windows, must be non-empty and byte for byte the same, with the same exit code.
judge() {
  local what=$1 status_linux=$2 status_windows=$3
  if [ "$status_linux" = "$status_windows" ] && [ -s "$work/$what.linux" ] && cmp -s "$work/$what.linux" "$work/$what.windows"; then
    echo "   same: $what: $(wc -l <"$work/$what.linux") lines, $(wc -c <"$work/$what.linux") bytes, exit $status_linux"
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "   DIFFERENT: $what (exit linux $status_linux, windows $status_windows)"
    diff "$work/$what.linux" "$work/$what.windows" | head -n 20 || true
    head -n 20 "$work/$what.windows.err"
  fi
}
# compare NAME ARGS...: the same arguments to both builds in the unpacked folder.
compare() {
  local what=$1; shift
  local status_linux=0 status_windows=0
  (cd "$here" && "$linux" "$@") >"$work/$what.linux" 2>"$work/$what.linux.err" || status_linux=$?
  (cd "$here" && timeout 300 "$wine" ./kongtun.exe "$@") >"$work/$what.windows" 2>"$work/$what.windows.err" || status_windows=$?
  judge "$what" "$status_linux" "$status_windows"
}
compare validate validate --format json examples/claims
# A glob as cmd passes it (kongtun expands it): the same claims, in the same order.
compare validate-glob validate --format json 'examples/claims/*.yaml'
compare evaluate evaluate --rules rules --as-of 2025-10-15 --format json examples/claims
compare evaluate-th evaluate --rules rules --as-of 2025-10-15 --format json --lang th examples/claims
compare aging receivables aging --as-of 2568-09-30 --format json

# kongtun_ffi.dll from C, as a hospital system would call it: examples/c/evaluate.c built with
# the same mingw against the DLL, two files on two threads. Its stdout is msvcrt's text mode
# (\n written as \r\n), so line ends are set aside; every other byte must be the CLI's.
x86_64-w64-mingw32-gcc -O2 -I include examples/c/evaluate.c "$out/libkongtun_ffi.dll.a" -static -lpthread \
  -o "$here/evaluate.exe"
status_linux=0 status_windows=0
(cd "$here" && "$linux" evaluate --format json --rules rules --as-of 2025-10-15 examples/claims/uc.yaml \
  examples/claims/road-accident.yaml) >"$work/ffi.linux" || status_linux=$?
(cd "$here" && timeout 300 "$wine" ./evaluate.exe rules 2025-10-15 examples/claims/uc.yaml \
  examples/claims/road-accident.yaml) >"$work/ffi.windows.raw" 2>"$work/ffi.windows.err" || status_windows=$?
tr -d '\r' <"$work/ffi.windows.raw" >"$work/ffi.windows"
judge "ffi" "$status_linux" "$status_windows"
windows_version=$(cd "$here" && "$wine" ./kongtun.exe --version 2>/dev/null | tr -d '\r')
echo "   $windows_version under $("$wine" --version 2>/dev/null || echo Wine)"
echo "== release.sh: $((SECONDS - started)) s in all"
echo "smoke: $passed passed, $failed failed"
if [ "$failed" != 0 ]; then
  echo "release: the Windows build prints something else than the Linux build" >&2
  exit 1
fi
