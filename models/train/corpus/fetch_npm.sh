#!/usr/bin/env bash
# Download the pinned npm tarballs (name@exact-version, one per line in npm-packages.txt)
# into models/.work/corpus/npm/tgz with `npm pack` (no install scripts, no dependency
# resolution: the list itself is the pin). Idempotent: finished batches are skipped.
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
LIST="${1:-$HERE/npm-packages.txt}"
WORK="$ROOT/models/.work/corpus/npm"
TGZ="$WORK/tgz"; MARK="$WORK/batches"
mkdir -p "$TGZ" "$MARK"
BS=200
grep -Ev '^\s*(#|$)' "$LIST" > "$WORK/list.txt"
split -d -a 4 -l $BS "$WORK/list.txt" "$WORK/batch."
for b in "$WORK"/batch.*; do
  n="$(basename "$b")"
  [ -e "$MARK/$n.done" ] && continue
  if ! nice -n 5 npm pack --silent $(cat "$b") --pack-destination "$TGZ" >/dev/null 2>"$MARK/$n.err"; then
    # one bad spec aborts the whole batch: fall back to one at a time
    : > "$MARK/$n.failed"
    while read -r spec; do
      nice -n 5 npm pack --silent "$spec" --pack-destination "$TGZ" >/dev/null 2>>"$MARK/$n.err" || echo "$spec" >> "$MARK/$n.failed"
    done < "$b"
  fi
  touch "$MARK/$n.done"
  echo "$(date -u +%T) $n done ($(ls "$TGZ" | wc -l) tarballs)"
done
cat "$MARK"/*.failed 2>/dev/null | sort -u > "$WORK/failed.txt"
echo "fetched: $(ls "$TGZ" | wc -l) tarballs; failed specs: $(wc -l < "$WORK/failed.txt")"
