#!/usr/bin/env bash
# Runs one fuzz target for a while with seeds from ../../shared/corpus/documents (linked, read
# in place) plus the ones seeds.py derives from them, and its dictionary, then prints
# libFuzzer's final stats (executions, coverage, corpus size).
#   fuzz/run.sh TARGET [SECONDS]      e.g. fuzz/run.sh html 180
# Needs the nightly toolchain and cargo-fuzz (`rustup toolchain install nightly`,
# `cargo install cargo-fuzz`). Findings land in fuzz/artifacts/TARGET/ and become named
# regression tests in tests/ (see ROBUSTNESS.md).
set -euo pipefail
cd "$(dirname "$0")"
target=$1
seconds=${2:-180}
docs=$(cd ../../shared/corpus/documents && pwd)
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
  pdf | pdf_lexer | pdf_xref) exts="pdf" ;;
  docx | xlsx | pptx | odt | ods | odp) exts=$target ;;
  zip) exts="docx xlsx pptx odt ods odp epub" ;;
  sniff) exts="pdf docx xlsx pptx odt html xml json" ;;
  *) exts="" ;;
esac
# Documents are linked, not copied; libFuzzer cuts an input at -max_len.
for ext in $exts; do
  find "$docs" -name "*.$ext" -exec ln -sf {} "$seeds/" \; 2>/dev/null || true
done
[ "$target" = toml ] && cp ../Cargo.toml ../rustfmt.toml "$seeds/"
# Derived seeds: Office parts for the packed form, streams, CMaps, fonts (see seeds.py).
case $target in
  docx | xlsx | pptx | odt | ods | odp | zip | inflate | pdf | pdf_*) python3 seeds.py "$target" "$docs" "$seeds" ;;
esac
features=()
[ "$target" = abi ] && features=(--features abi)
case $target in
  pdf | pdf_lexer | pdf_xref | pdf_content | pdf_font | pdf_cmap) dict_file=dicts/pdf.dict ;;
  odt | ods | odp) dict_file=dicts/odf.dict ;;
  inflate) dict_file=dicts/pdf_filters.dict ;;
  *) dict_file=dicts/$target.dict ;;
esac
dict=()
[ -f "$dict_file" ] && dict=("-dict=$dict_file")
cargo +nightly fuzz run -O "${features[@]}" "$target" "corpus/$target" "$seeds" -- \
  -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096 -print_final_stats=1 "${dict[@]}" 2>&1 |
  tee "corpus/$target.log" | grep -E "^(stat::|#[0-9]+[[:space:]]+DONE|==|SUMMARY|artifact)" || true
grep -q "DONE" "corpus/$target.log"
