#!/usr/bin/env bash
# The C host: translate the module to C with wabt's wasm2c, build it with cc against
# abi/pith.h (through pith_c.h), and check real extractions. Installs wabt with apt-get when
# wasm2c is missing and we are root. Output in target/c-host/. Closes with "N passed, N failed".
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
corpus="${PITH_CORPUS:-$root/../shared/corpus/documents}"
wasm="${PITH_WASM:-$root/dist/pith-complete.wasm}"
out="$root/target/c-host"
rt=/usr/share/wabt/wasm2c

if ! command -v wasm2c >/dev/null || [ ! -f "$rt/wasm-rt-impl.c" ]; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wabt
  else
    echo "c-host: wasm2c is missing: apt-get install wabt" >&2
    exit 1
  fi
fi
[ "${1:-}" = "--setup" ] && exit 0
[ -f "$wasm" ] || { echo "c-host: $wasm is missing: build it first (cargo xtask dist)" >&2; exit 1; }

mkdir -p "$out"
echo "[c-host] $(wasm2c --version | head -1 | sed 's/^/wasm2c /'), $(cc --version | head -1)"
wasm2c "$wasm" -n pith -o "$out/pith_wasm.c"
cc -O1 -std=gnu11 -Wall -Wno-unused -I"$out" -I"$here" -I"$rt" -o "$out/pith-c" \
  "$here/main.c" "$here/pith_abi.c" "$out/pith_wasm.c" "$rt/wasm-rt-impl.c" -lm

passed=0
failed=0
check() { # name, then a command that must succeed
  local name="$1"
  shift
  if "$@"; then passed=$((passed + 1)); echo "ok - $name"; else failed=$((failed + 1)); echo "FAIL - $name"; fi
}
pith="$out/pith-c"
features=$("$pith" 2>&1 | sed -n 's/.*features 0x\([0-9a-f]*\).*/\1/p' || true)
pdf_code=-4
[ $((0x${features:-0} & (1 << 16))) -ne 0 ] && pdf_code=-5

french() {
  "$pith" "$corpus/text/french_text.txt" 2>/dev/null | diff - "$corpus/text/french_text.txt"
}
check "french_text.txt: the text, byte for byte" french
check "norwich_city.txt: real text and metadata records" bash -c \
  "'$pith' '$corpus/text/norwich_city.txt' 2>'$out/records.txt' | grep -q 'Iwan Roberts' &&
   grep -q '^# DOCUMENT {\"mime_type\":\"text/plain\"}' '$out/records.txt' && grep -q '^# METADATA {\"word_count\":6674}' '$out/records.txt'"
check "--json: result_json of report.txt" bash -c \
  "'$pith' --json '$corpus/text/report.txt' | grep -q '\"content\":\"Annual Report 2024'"
corrupt() {
  # The real header line, then bytes >= 0x80: no object, xref or trailer anywhere.
  head -n 1 "$corpus/pdf/simple.pdf" > "$out/broken.pdf"
  head -c 4096 /dev/zero | tr '\0' '\377' >> "$out/broken.pdf"
  local status=0
  "$pith" "$out/broken.pdf" "$corpus/text/german_text.txt" > "$out/after.txt" 2> "$out/errors.txt" || status=$?
  [ "$status" = 1 ] && grep -q "broken.pdf: error $pdf_code: " "$out/errors.txt" &&
    grep -q 'Dies ist ein deutscher Text' "$out/after.txt"
}
check "a corrupt PDF is a clean error ($pdf_code), and the next file is extracted" corrupt
mismatch() {
  local status=0
  "$pith" --mime text/plain "$corpus/pdf/simple.pdf" 2> "$out/errors.txt" >/dev/null || status=$?
  [ "$status" = 1 ] && grep -q 'error -10: .*application/pdf' "$out/errors.txt"
}
check "a PDF declared text/plain is MIME_MISMATCH (-10)" mismatch
echo "c-host: $passed passed, $failed failed"
[ "$failed" = 0 ]
