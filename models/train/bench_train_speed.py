"""Training throughput of candidate sizes on this machine (fwd + bwd + AdamW step), side by side.

Usage: /usr/bin/python3 models/train/bench_train_speed.py [--threads 2] [--steps 4]
Prints parameters and the median tok/s over the steps after the first, per configuration.
"""
import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lgc.model import GPT, GPTConfig  # noqa: E402

CANDIDATES = [
    ("d256 L8 v8192 (lgc-small), batch 8x512", dict(), 8, 512),
    ("d256 L8 v8192, batch 16x256", dict(), 16, 256),
    ("d320 L8 v8192, batch 8x512", dict(hidden_size=320, num_attention_heads=5, num_key_value_heads=5, intermediate_size=864), 8, 512),
    ("d256 L6 v16384, batch 8x512", dict(num_hidden_layers=6, vocab_size=16384), 8, 512),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=4)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    for name, overrides, batch, seq in CANDIDATES:
        model = GPT(GPTConfig(**overrides))
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
        x = torch.randint(0, model.cfg.vocab_size, (batch, seq + 1))
        times = []
        for _ in range(args.steps):
            t = time.time()
            model.loss(x[:, :-1], x[:, 1:]).backward()
            opt.step()
            opt.zero_grad()
            times.append(time.time() - t)
        median = sorted(times[1:])[len(times[1:]) // 2]
        print(f"{name:42} {model.num_params()/1e6:5.2f}M params {batch*seq/median:7.0f} tok/s", flush=True)


if __name__ == "__main__":
    main()
