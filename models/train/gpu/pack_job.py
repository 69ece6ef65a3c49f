"""Pack one device job: a folder that a CUDA machine runs with `OUT=... bash FOLDER/job.sh`.

Usage: /usr/bin/python3 models/train/gpu/pack_job.py --out DIR --config CONFIG.json [--budget-mib 27]
           [--data models/.work/data] [--max-tokens N] [--minutes 6.5] [--batch 64] [--lr 1e-3] ...
The folder holds what the job needs and nothing from the repository around it:
- code/: train.py, lgc/ and the config (the trainer itself, unchanged);
- job.sh and job.env (the training settings, shell variables the job reads);
- val.bin.xz and train-NN.bin.xz: val.bin and the first tokens of train.bin (uint16), compressed
  with xz in chunks of --chunk-tokens, as many as keep the whole folder under --budget-mib (what
  one call may carry, less the checkout that travels with it). Parts decompress in parallel.
- MANIFEST.json: every file's size and sha256, the token count carried and the settings.
The job itself (job.sh) unpacks, trains for --minutes with the cosine over wall-clock time, and
writes the best checkpoint (tied embedding once, split in parts of 15 MB) and the logs to $OUT.
"""
import argparse
import hashlib
import json
import lzma
import os
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np

GPU = os.path.dirname(os.path.abspath(__file__))
TRAIN = os.path.dirname(GPU)
sys.path.insert(0, TRAIN)
from lgc.corpus import WORK  # noqa: E402

# Token streams are 16-bit symbols: LZMA2 with 2-byte literal alignment (lp=1, pb=1, lc=0) and a
# dictionary large enough to reach the repeated repository-context windows compresses them better
# than the byte-oriented default.
FILTERS = [{"id": lzma.FILTER_LZMA2, "preset": 6, "dict_size": 64 << 20, "lc": 0, "lp": 1, "pb": 1}]
SETTINGS = ("minutes", "batch", "seq", "eval_seq", "lr", "min_lr", "warmup", "eval_every", "eval_windows",
            "weight_decay", "seed", "compile_at")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def compress(raw, path):
    with open(path, "wb") as f:
        f.write(lzma.compress(raw.tobytes(), format=lzma.FORMAT_XZ, filters=FILTERS))
    return os.path.getsize(path)


def pack_tokens(train, out, budget, parts, max_tokens, chunk_tokens):
    """The first tokens of train, compressed chunk by chunk (xz streams, which decompress as one
    when concatenated) until the next chunk would pass `budget` bytes, then written as `parts`
    files of whole chunks."""
    n = min(len(train), max_tokens or len(train))
    starts = list(range(0, n, chunk_tokens))
    kept, used = [], 0
    workers = os.cpu_count() or 2
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for i in range(0, len(starts), workers):
            batch = starts[i:i + workers]
            blobs = pool.map(lambda s: lzma.compress(np.asarray(train[s:min(n, s + chunk_tokens)]).tobytes(),
                                                     format=lzma.FORMAT_XZ, filters=FILTERS), batch)
            for start, blob in zip(batch, blobs):
                if used + len(blob) > budget:
                    break
                kept.append((start, blob))
                used += len(blob)
            else:
                continue
            break
    tokens = min(n, kept[-1][0] + chunk_tokens) if kept else 0
    groups = np.array_split(np.arange(len(kept)), min(parts, len(kept)))
    for index, group in enumerate(groups):
        with open(os.path.join(out, f"train-{index:02d}.bin.xz"), "wb") as f:
            for k in group:
                f.write(kept[k][1])
    return tokens, used


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--name", default=None, help="run name (default: the config's file name)")
    ap.add_argument("--data", default=os.path.join(WORK, "data"))
    ap.add_argument("--budget-mib", type=float, default=27.0, help="the whole folder, code and data")
    ap.add_argument("--max-tokens", type=int, default=None)
    ap.add_argument("--parts", type=int, default=8)
    ap.add_argument("--chunk-tokens", type=int, default=4_000_000, help="tokens per xz stream (the budget's step)")
    ap.add_argument("--minutes", type=float, default=6.5, help="training time; the job adds about a minute")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--seq", type=int, default=1024)
    ap.add_argument("--eval-seq", type=int, default=512)
    ap.add_argument("--lr", type=float, default=1.5e-3)
    ap.add_argument("--min-lr", type=float, default=1e-4)
    ap.add_argument("--warmup", type=int, default=300)
    ap.add_argument("--eval-every", type=int, default=300)
    ap.add_argument("--eval-windows", type=int, default=64)
    ap.add_argument("--weight-decay", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=1337)
    ap.add_argument("--compile-at", type=int, default=-1, help="steps before torch.compile; -1: never compile")
    args = ap.parse_args()
    name = args.name or os.path.splitext(os.path.basename(args.config))[0]
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    code = os.path.join(args.out, "code")
    os.makedirs(os.path.join(code, "configs"))
    shutil.copy(os.path.join(TRAIN, "train.py"), code)
    shutil.copytree(os.path.join(TRAIN, "lgc"), os.path.join(code, "lgc"), ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(args.config, os.path.join(code, "configs", "job.json"))
    shutil.copy(os.path.join(GPU, "job.sh"), args.out)
    shutil.copy(os.path.join(GPU, "split_checkpoint.py"), code)
    with open(os.path.join(args.data, "val.bin"), "rb") as f, open(os.path.join(args.out, "val.bin.xz"), "wb") as out:
        out.write(lzma.compress(f.read(), format=lzma.FORMAT_XZ, filters=FILTERS))
    with open(os.path.join(args.out, "job.env"), "w") as f:
        f.write(f"NAME={name}\n")
        for key in SETTINGS:
            f.write(f"{key.upper()}={getattr(args, key)}\n")
    used = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(args.out) for f in fs)
    budget = int(args.budget_mib * (1 << 20)) - used - 16384  # room for the manifest
    if budget <= 0:
        sys.exit(f"the code and val.bin alone ({used} bytes) exceed --budget-mib")
    train = np.memmap(os.path.join(args.data, "train.bin"), dtype=np.uint16, mode="r")
    tokens, compressed = pack_tokens(train, args.out, budget, args.parts, args.max_tokens, args.chunk_tokens)
    files = sorted(os.path.relpath(os.path.join(r, f), args.out) for r, _, fs in os.walk(args.out) for f in fs)
    manifest = {"name": name, "train_tokens": int(tokens), "train_tokens_available": int(len(train)),
                "compression_ratio": round(tokens * 2 / compressed, 2),
                "settings": {k: getattr(args, k) for k in SETTINGS},
                "files": {f: {"bytes": os.path.getsize(os.path.join(args.out, f)), "sha256": sha256(os.path.join(args.out, f))}
                          for f in files}}
    with open(os.path.join(args.out, "MANIFEST.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    total = sum(v["bytes"] for v in manifest["files"].values()) + os.path.getsize(os.path.join(args.out, "MANIFEST.json"))
    print(f"packed {args.out}: {tokens/1e6:.1f}M of {len(train)/1e6:.1f}M train tokens "
          f"({manifest['compression_ratio']}x), {total/(1<<20):.2f} MiB in {len(files) + 1} files")
    if total > args.budget_mib * (1 << 20):
        sys.exit("over budget")


if __name__ == "__main__":
    main()
