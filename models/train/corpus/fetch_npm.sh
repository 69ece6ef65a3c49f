#!/usr/bin/env bash
# Download the pinned npm tarballs (name@exact-version, one per line in npm-packages.txt)
# into models/.work/corpus/npm/tgz with `npm pack` (no install scripts, no dependency
# resolution: the list itself is the pin). Idempotent: a batch whose content was already
# fetched is skipped (markers are named by the hash of the batch). JOBS=N downloaders (default 3).
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
LIST="${1:-$HERE/npm-packages.txt}"
WORK="$ROOT/models/.work/corpus/npm"
TGZ="$WORK/tgz"; MARK="$WORK/batches"
mkdir -p "$TGZ" "$MARK" "$WORK/split"
BS=200
grep -Ev '^\s*(#|$)' "$LIST" > "$WORK/list.txt"
rm -f "$WORK/split/"batch.*
split -d -a 4 -l $BS "$WORK/list.txt" "$WORK/split/batch."
rm -rf "$MARK"/*.lock

worker() {
  for b in "$WORK"/split/batch.*; do
    n="$(md5sum < "$b" | cut -c1-16)"
    [ -e "$MARK/$n.done" ] && continue
    mkdir "$MARK/$n.lock" 2>/dev/null || continue
    if ! nice -n 5 npm pack --silent $(cat "$b") --pack-destination "$TGZ" >/dev/null 2>"$MARK/$n.err"; then
      # one bad spec aborts the whole batch: fall back to one at a time
      : > "$MARK/$n.failed"
      while read -r spec; do
        nice -n 5 npm pack --silent "$spec" --pack-destination "$TGZ" >/dev/null 2>>"$MARK/$n.err" || echo "$spec" >> "$MARK/$n.failed"
      done < "$b"
    fi
    touch "$MARK/$n.done"
    echo "$(date -u +%T) $(basename "$b") done ($(ls "$TGZ" | wc -l) tarballs)"
  done
}
for i in $(seq 1 "${JOBS:-3}"); do worker & sleep 1; done
wait
rm -rf "$MARK"/*.lock
cat "$MARK"/*.failed 2>/dev/null | sort -u > "$WORK/failed.txt"
echo "fetched: $(ls "$TGZ" | wc -l) tarballs; failed specs: $(wc -l < "$WORK/failed.txt")"
