#!/usr/bin/env bash
# Runs one fuzz target for a while with seeds from ../../shared/corpus/documents and its
# dictionary, then prints libFuzzer's final stats (executions, coverage, corpus size).
#   fuzz/run.sh TARGET [SECONDS]      e.g. fuzz/run.sh html 180
# Needs the nightly toolchain and cargo-fuzz (`rustup toolchain install nightly`,
# `cargo install cargo-fuzz`). Findings land in fuzz/artifacts/TARGET/ and become named
# regression tests in tests/ (see ROBUSTNESS.md).
set -euo pipefail
cd "$(dirname "$0")"
target=$1
seconds=${2:-180}
docs=../../shared/corpus/documents
seeds=corpus/$target-seeds
mkdir -p "corpus/$target" "$seeds"
case $target in
  html) exts="html htm xhtml" ;;
  xml) exts="xml svg rss opml" ;;
  json) exts="json" ;;
  yaml) exts="yaml yml" ;;
  toml) exts="toml" ;;
  csv) exts="csv tsv" ;;
  markdown) exts="md markdown" ;;
  text) exts="txt md" ;;
  pdf) exts="pdf" ;;
  docx) exts="docx" ;;
  xlsx) exts="xlsx" ;;
  pptx) exts="pptx" ;;
  odf) exts="odt ods odp" ;;
  sniff) exts="pdf docx xlsx pptx odt html xml json" ;;
  *) exts="" ;;
esac
# Seeds are copied (small ones only: libFuzzer caps an input's length anyway).
for ext in $exts; do
  find "$docs" -name "*.$ext" -size -256k -exec cp {} "$seeds/" \; 2>/dev/null || true
done
[ "$target" = toml ] && cp ../Cargo.toml ../rustfmt.toml "$seeds/"
features=()
[ "$target" = abi ] && features=(--features abi)
dict=()
[ -f "dicts/$target.dict" ] && dict=("-dict=dicts/$target.dict")
cargo +nightly fuzz run -O "${features[@]}" "$target" "corpus/$target" "$seeds" -- \
  -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096 -print_final_stats=1 "${dict[@]}" 2>&1 |
  tee "corpus/$target.log" | grep -E "^(stat::|#[0-9]+[[:space:]]+DONE|==|SUMMARY|artifact)" || true
grep -q "DONE" "corpus/$target.log"
