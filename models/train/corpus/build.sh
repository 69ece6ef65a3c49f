#!/usr/bin/env bash
# One command to (re)build the corpus. Idempotent: downloads already present are reused.
#   bash models/train/corpus/build.sh            # fetch npm + Debian sources, then build
#   SKIP_FETCH=1 bash models/train/corpus/build.sh  # build from what is already fetched
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
if [ -z "${SKIP_FETCH:-}" ]; then
  bash "$HERE/fetch_npm.sh"
  bash "$HERE/fetch_debian.sh"
fi
exec nice -n 5 /usr/bin/python3 "$HERE/build_corpus.py" --workers "${WORKERS:-2}" "$@"
