"""Train the byte-level BPE on a language-weighted sample of the training split.

Usage: /usr/bin/python3 models/train/train_tokenizer.py [--vocab 16384] [--sample-mb 40]
Writes models/train/tokenizer/tokenizer.json (the full run; each model uses the prefix of the
merge list that its config's vocab_size allows) and reports bytes per token on the
validation split for prefixes of the merge list, which are valid smaller tokenizers.
"""
import argparse
import json
import os
import random
import sys
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lgc import bpe  # noqa: E402
from lgc.corpus import TOKENIZER_PATH, iter_docs  # noqa: E402


def sample_counts(sample_bytes, seed):
    rng = random.Random(seed)
    docs = list(iter_docs("train"))
    rng.shuffle(docs)
    counts = Counter()
    taken = 0
    for d in docs:
        if taken >= sample_bytes:
            break
        counts.update(bpe.pretokenize(d["text"]))
        taken += len(d["text"].encode("utf-8"))
    return counts, taken


def bytes_per_token(tokenizer, docs):
    enc = bpe.Encoder(tokenizer)
    n_bytes = n_tokens = 0
    for d in docs:
        ids = enc.encode_ordinary(d["text"])
        assert enc.decode(ids) == d["text"], f"round trip failed: {d['path']}"
        n_bytes += len(d["text"].encode("utf-8"))
        n_tokens += len(ids)
    return n_bytes / max(1, n_tokens)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vocab", type=int, default=16384)
    ap.add_argument("--sample-mb", type=float, default=40)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--out", default=os.path.dirname(TOKENIZER_PATH))
    args = ap.parse_args()
    t0 = time.time()
    counts, taken = sample_counts(int(args.sample_mb * 1e6), args.seed)
    print(f"sampled {taken/1e6:.1f} MB, {len(counts)} distinct pre-tokens in {time.time()-t0:.0f}s", flush=True)
    merges = bpe.train(counts, args.vocab, log=lambda m: print(m, flush=True))
    tok = bpe.tokenizer_json(merges)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tok, f, ensure_ascii=False)
    print(f"trained {args.vocab} in {time.time()-t0:.0f}s", flush=True)
    val = list(iter_docs("val"))[:1500]
    report = {}
    for size in (4096, 8192, 12288, 16384):
        if size <= args.vocab:
            report[size] = round(bytes_per_token(bpe.truncated(tok, size), val), 3)
            print(f"vocab {size}: {report[size]} bytes/token on val (round trip lossless)", flush=True)
    with open(os.path.join(args.out, "bytes_per_token.json"), "w") as f:
        json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
