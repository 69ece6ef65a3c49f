#!/usr/bin/env bash
# Fetch and build a part of the corpus: enough fresh text for one session's training, without
# the full 2.6 GB rebuild (about 100 min here). Takes every npm source the committed manifest
# holds out (val) and, in a fixed hash order, npm train sources that no committed checkpoint has
# seen (logs/trained-sources.txt) until MB megabytes (post-filter bytes, as in the manifest).
#   bash models/train/corpus/subset.sh 300
# The build then splits this smaller corpus by its own seeded hash; its manifest goes to
# models/.work/corpus/manifest.tsv (the committed one describes the full corpus).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
MB="${1:?megabytes of train text to fetch}"
WORK="$ROOT/models/.work/corpus"
mkdir -p "$WORK/npm"
LIST="$WORK/npm/subset.txt"
/usr/bin/python3 - "$HERE/../logs/trained-sources.txt" "$HERE/manifest.tsv" "$MB" > "$LIST" <<'PY'
import hashlib, sys
seen = {l.strip() for l in open(sys.argv[1]) if l.strip()}
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])][1:]
held = [r for r in rows if r[2] == "npm" and r[5] == "val"]
fresh = [r for r in rows if r[2] == "npm" and r[5] == "train" and r[0] not in seen]
fresh.sort(key=lambda r: hashlib.md5(f"{r[0]}@{r[1]}".encode()).hexdigest())
limit, total = int(sys.argv[3]) * 1_000_000, 0
for r in held:
    print(f"{r[0]}@{r[1]}")
for r in fresh:
    if total >= limit:
        break
    print(f"{r[0]}@{r[1]}")
    total += int(r[7])
PY
echo "subset: $(wc -l < "$LIST") npm sources"
bash "$HERE/fetch_npm.sh" "$LIST"
exec nice -n 5 /usr/bin/python3 "$HERE/build_corpus.py" --workers "${WORKERS:-2}" --subset "$LIST"
