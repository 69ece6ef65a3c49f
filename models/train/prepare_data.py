"""Tokenize the corpus into uint16 token streams, with fill-in-the-middle applied to about half the
documents, and repository context (snippets of sibling files, lgc/repo_context.py) before about
half of the documents and FIM chunks whose package has other files.

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
from lgc import bpe, fim, patterns, repo_context  # noqa: E402
from lgc.corpus import TOKENIZER_PATH, WORK, iter_docs  # noqa: E402

ENCODER = None


def init_worker(tokenizer_path, vocab_size):
    global ENCODER
    with open(tokenizer_path, encoding="utf-8") as f:
        ENCODER = bpe.Encoder(bpe.truncated(json.load(f), vocab_size))


def encode_source(docs, context_rate, pattern_rate, chunk_chars=fim.CHUNK_CHARS, query_before_cursor=False):
    """Every document of one source (package), each seeded by its path, so reruns write the same
    stream. Repository context comes from the source's other documents; a pattern list drawn
    from a document (lgc/patterns.py) follows it at `pattern_rate`, from its own generator so
    that the rest of the stream does not depend on the rate."""
    out = []
    windowed = [(d["path"], repo_context.windows(d["text"])) for d in docs]
    for index, doc in enumerate(docs):
        rng = random.Random(zlib.crc32(f"{doc['source']}/{doc['path']}".encode("utf-8")))
        siblings = windowed[:index] + windowed[index + 1:]
        context_for = None
        if siblings and rng.random() < context_rate:
            context_for = lambda query, rng=rng, siblings=siblings: repo_context.context_text(  # noqa: E731
                repo_context.pick_snippets(query, siblings, rng))
        text = fim.training_text(doc, rng, context_for=context_for, chunk_chars=chunk_chars, query_before_cursor=query_before_cursor)
        pattern_rng = random.Random(zlib.crc32(f"patterns/{doc['source']}/{doc['path']}".encode("utf-8")))
        if pattern_rng.random() < pattern_rate:
            text += patterns.pattern_document(doc["text"], pattern_rng)
        ids = ENCODER.encode(text)
        out.append((doc["lang"], len(doc["text"].encode("utf-8")), np.asarray(ids, dtype=np.uint16)))
    return out


def encode_job(job):
    return encode_source(*job)


def by_source(docs):
    """Documents grouped by source, sources in order of first appearance (the corpus is shuffled)."""
    groups = {}
    for doc in docs:
        groups.setdefault(doc["source"], []).append(doc)
    return list(groups.values())


def encode_split(split, args):
    stats = {}
    path = os.path.join(args.out, f"{split}.bin")
    tmp = path + ".tmp"
    total = 0
    t0 = time.time()
    source = args.val_source if split == "val" else split
    groups = by_source(itertools.islice(iter_docs(source), args.max_docs))
    # Val keeps the default chunks and context choice, so that its loss compares across sessions.
    rates = ((args.val_context_rate, 0.0, fim.CHUNK_CHARS, False) if split == "val"
             else (args.context_rate, args.pattern_rate, args.chunk_chars, args.query_before_cursor))
    jobs = ((group, *rates) for group in groups)
    with open(tmp, "wb") as out, Pool(args.workers, initializer=init_worker, initargs=(args.tokenizer, args.vocab)) as pool:
        for lang, n_bytes, ids in itertools.chain.from_iterable(pool.imap(encode_job, jobs, chunksize=4)):
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
    ap.add_argument("--context-rate", type=float, default=0.5,
                    help="share of train documents (with sibling files) preceded by repository context")
    ap.add_argument("--val-context-rate", type=float, default=0.5,
                    help="the same for val; kept fixed so held-out loss stays comparable across sessions")
    ap.add_argument("--pattern-rate", type=float, default=0.0,
                    help="share of train documents followed by a pattern list (lgc/patterns.py); val has none")
    ap.add_argument("--chunk-chars", type=int, default=fim.CHUNK_CHARS,
                    help="FIM chunk size of train documents (val keeps the default); about a third of the train context")
    ap.add_argument("--query-before-cursor", action="store_true",
                    help="choose train repository context by the lines before the cursor, as the extension (lgc/fim.py)")
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
