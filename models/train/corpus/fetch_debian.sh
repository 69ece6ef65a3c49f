#!/usr/bin/env bash
# Download the pinned Debian node-* packages (name=version per line in debian-packages.txt)
# with `apt-get download` and unpack them with `dpkg-deb -x` into
# models/.work/corpus/deb/root/<pkg>/ (nothing is installed). Idempotent.
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
LIST="${1:-$HERE/debian-packages.txt}"
WORK="$ROOT/models/.work/corpus/deb"
mkdir -p "$WORK/debs" "$WORK/root"
grep -Ev '^\s*(#|$)' "$LIST" > "$WORK/list.txt"
: > "$WORK/todo.txt"
while IFS== read -r pkg ver; do
  [ -e "$WORK/root/$pkg/.done" ] && continue
  ls "$WORK/debs/${pkg}_"*.deb >/dev/null 2>&1 || echo "$pkg=$ver" >> "$WORK/todo.txt"
done < "$WORK/list.txt"
cd "$WORK/debs"
if [ -s "$WORK/todo.txt" ]; then
  split -l 100 "$WORK/todo.txt" "$WORK/todo.part."
  for p in "$WORK"/todo.part.*; do
    nice -n 5 apt-get download -q $(cat "$p") >/dev/null 2>>"$WORK/download.err" || \
      while read -r spec; do nice -n 5 apt-get download -q "$spec" >/dev/null 2>>"$WORK/download.err" || echo "$spec" >> "$WORK/failed.txt"; done < "$p"
    rm -f "$p"
  done
fi
: > "$WORK/root/versions.tsv.tmp"
while IFS== read -r pkg ver; do
  echo -e "$pkg\t$ver" >> "$WORK/root/versions.tsv.tmp"
  [ -e "$WORK/root/$pkg/.done" ] && continue
  deb="$(ls "$WORK/debs/${pkg}_"*.deb 2>/dev/null | head -1)"
  [ -n "$deb" ] || continue
  rm -rf "$WORK/root/$pkg"; mkdir -p "$WORK/root/$pkg"
  dpkg-deb -x "$deb" "$WORK/root/$pkg" && touch "$WORK/root/$pkg/.done"
done < "$WORK/list.txt"
mv "$WORK/root/versions.tsv.tmp" "$WORK/root/versions.tsv"
echo "unpacked: $(ls -d "$WORK"/root/*/.done | wc -l) Debian packages"
