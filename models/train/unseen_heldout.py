"""Write the held-out documents whose source no committed checkpoint has trained on.

Usage: /usr/bin/python3 models/train/unseen_heldout.py [--out models/.work/corpus/val-unseen.jsonl]
The corpus grows between sessions and its by-package split moves with it, so a package held
out today may have been trained on earlier. logs/trained-sources.txt is the union of the train
splits the weights have seen (append the current manifest's train sources when training on a
new corpus); evaluations read the file this script writes.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lgc.corpus import CORPUS_DIR  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(CORPUS_DIR, "val-unseen.jsonl"))
    args = ap.parse_args()
    with open(os.path.join(HERE, "logs", "trained-sources.txt"), encoding="utf-8") as f:
        trained = {line.strip() for line in f if line.strip()}
    kept = dropped = 0
    sources = set()
    with open(os.path.join(CORPUS_DIR, "val.jsonl"), encoding="utf-8") as src, open(args.out + ".tmp", "w", encoding="utf-8") as out:
        for line in src:
            source = json.loads(line)["source"]
            if source in trained:
                dropped += 1
                continue
            out.write(line)
            kept += 1
            sources.add(source)
    os.replace(args.out + ".tmp", args.out)
    print(f"{kept} held-out documents from {len(sources)} unseen sources; {dropped} dropped (source trained on)")


if __name__ == "__main__":
    main()
