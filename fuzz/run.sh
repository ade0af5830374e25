#!/usr/bin/env bash
# Runs every fuzz target for MINUTES minutes each (default 10), one after the other, on one
# core, seeded from the packs and sample claims. Exits 1 when a target found a crash; the
# input is then under fuzz/artifacts/<target>/.
#
#   fuzz/run.sh 10          # all targets, 10 minutes each
#   fuzz/run.sh 1 expr_parser
set -uo pipefail
cd "$(dirname "$0")"
minutes="${1:-10}"
shift || true
targets=("${@:-pack_loader expr_parser claim_document event_log statements}")
targets=(${targets[@]})
# Stable Rust: cargo-fuzz needs -Zsanitizer and friends, which RUSTC_BOOTSTRAP allows.
export RUSTC_BOOTSTRAP=1
status=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  case "$t" in
    pack_loader) seeds=(../rules/uc ../rules/csmbs ../rules/sss ../rules/lgo ../rules/prb ../rules/self) ;;
    claim_document) seeds=(../examples/claims ../examples/invalid-claims) ;;
    event_log | statements) seeds=(../examples/receivables) ;;
    *) seeds=() ;;
  esac
  echo "== $t: $minutes min"
  cargo fuzz run --sanitizer none -j 1 "$t" "corpus/$t" "${seeds[@]}" -- \
    -max_total_time=$((minutes * 60)) -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
    -artifact_prefix="artifacts/$t/" -print_final_stats=1 2>&1 | tee "artifacts/$t.log" | grep -E "^(#[0-9]+ +DONE|stat::|==|SUMMARY|.*crash|.*panicked)" || true
  if ls "artifacts/$t"/crash-* "artifacts/$t"/timeout-* "artifacts/$t"/oom-* >/dev/null 2>&1; then
    echo "!! $t found a crash: see fuzz/artifacts/$t/"
    status=1
  fi
done
exit $status
