"""Tokenize the corpus into uint16 token streams, with fill-in-the-middle applied to about half the documents.

Usage: /usr/bin/python3 models/train/prepare_data.py [--vocab 8192] [--out DIR] [--max-docs N]
Writes models/.work/data/{train,val}.bin and stats.json (bytes and tokens per language and split).
Seeded per document, so a rerun on the same corpus writes the same streams.
"""
import argparse
import itertools
import json
import os
import random
import sys
import time
import zlib
from multiprocessing import Pool

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lgc import bpe, fim  # noqa: E402
from lgc.corpus import TOKENIZER_PATH, WORK, iter_docs  # noqa: E402

ENCODER = None


def init_worker(tokenizer_path, vocab_size):
    global ENCODER
    with open(tokenizer_path, encoding="utf-8") as f:
        ENCODER = bpe.Encoder(bpe.truncated(json.load(f), vocab_size))


def encode_doc(doc):
    seed = zlib.crc32(f"{doc['source']}/{doc['path']}".encode("utf-8"))
    text = fim.training_text(doc, random.Random(seed))
    ids = ENCODER.encode(text)
    return doc["lang"], len(doc["text"].encode("utf-8")), np.asarray(ids, dtype=np.uint16)


def encode_split(split, args):
    stats = {}
    path = os.path.join(args.out, f"{split}.bin")
    tmp = path + ".tmp"
    total = 0
    t0 = time.time()
    source = args.val_source if split == "val" else split
    docs = itertools.islice(iter_docs(source), args.max_docs)
    with open(tmp, "wb") as out, Pool(args.workers, initializer=init_worker, initargs=(args.tokenizer, args.vocab)) as pool:
        for lang, n_bytes, ids in pool.imap(encode_doc, docs, chunksize=64):
            ids.tofile(out)
            s = stats.setdefault(lang, {"docs": 0, "bytes": 0, "tokens": 0})
            s["docs"] += 1
            s["bytes"] += n_bytes
            s["tokens"] += int(ids.size)
            total += ids.size
    os.replace(tmp, path)
    print(f"{split}: {total} tokens in {time.time()-t0:.0f}s", flush=True)
    return stats


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokenizer", default=TOKENIZER_PATH)
    ap.add_argument("--out", default=os.path.join(WORK, "data"))
    ap.add_argument("--vocab", type=int, default=8192, help="use this prefix of the BPE merge list")
    ap.add_argument("--max-docs", type=int, default=None, help="first N documents of each split (fixture)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--val-source", default="val", help="corpus file for val.bin, e.g. val-unseen (see unseen_heldout.py)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    stats = {split: encode_split(split, args) for split in ("val", "train")}
    for split, by_lang in stats.items():
        for lang, s in sorted(by_lang.items(), key=lambda kv: -kv[1]["bytes"]):
            print(f"{split:5} {lang:11} {s['docs']:7} docs {s['bytes']/1e6:8.1f} MB {s['tokens']/1e6:7.2f}M tokens "
                  f"{s['bytes']/max(1, s['tokens']):.2f} B/tok")
    with open(os.path.join(args.out, "stats.json"), "w") as f:
        json.dump(stats, f, indent=1)


if __name__ == "__main__":
    main()
