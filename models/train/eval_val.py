"""Held-out loss of checkpoints on the trainer's own val windows (the figure every log quotes).

Usage: /usr/bin/python3 models/train/eval_val.py CHECKPOINT [CHECKPOINT ...] [--data DIR] [--windows 64 --seq 512]
Prints one JSON line per checkpoint: params, tokens seen and the mean loss over the same evenly
spaced windows of DIR/val.bin that train.py evaluates (64 windows of 512 tokens by default).
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lgc.checkpoint import load_model  # noqa: E402
from lgc.corpus import WORK  # noqa: E402
from train import evaluate  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoints", nargs="+")
    ap.add_argument("--data", default=os.path.join(WORK, "data"))
    ap.add_argument("--windows", type=int, default=64)
    ap.add_argument("--seq", type=int, default=512)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    val = np.memmap(os.path.join(args.data, "val.bin"), dtype=np.uint16, mode="r")
    ev = argparse.Namespace(eval_seq=args.seq, seq=args.seq, eval_windows=args.windows, batch=8)
    import contextlib
    for path in args.checkpoints:
        model, ckpt = load_model(path)
        loss = evaluate(model, val, ev, "cpu", contextlib.nullcontext)
        n = sum(p.numel() for p in model.parameters())
        print(json.dumps({"checkpoint": path, "params_m": round(n / 1e6, 2), "tokens_m": round(ckpt["state"]["tokens"] / 1e6, 1),
                          "val_loss": round(loss, 4), "val_tokens": int(len(val)), "windows": args.windows, "seq": args.seq}),
              flush=True)


if __name__ == "__main__":
    main()
