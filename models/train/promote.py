"""Decide whether a run's best weights replace the committed checkpoint.

Usage: /usr/bin/python3 models/train/promote.py RUN/best-fp16.pt models/train/checkpoints/NAME.pt
Exits 0 after copying when held-out loss improved on the split the run measured both on, 1 otherwise.
Also appends the run's new log records to models/train/logs/NAME.jsonl (committed history).
"""
import json
import os
import shutil
import sys

import torch


def append_log(run_dir, name):
    logs = os.path.join(os.path.dirname(os.path.abspath(__file__)), "logs")
    os.makedirs(logs, exist_ok=True)
    dst = os.path.join(logs, f"{name}.jsonl")
    last = -1
    if os.path.exists(dst):
        with open(dst) as f:
            for line in f:
                last = max(last, json.loads(line)["step"])
    src = os.path.join(run_dir, "log.jsonl")
    if not os.path.exists(src):
        return
    with open(src) as f, open(dst, "a") as out:
        for line in f:
            if json.loads(line)["step"] > last:
                out.write(line)


def main():
    candidate, committed = sys.argv[1], sys.argv[2]
    name = os.path.splitext(os.path.basename(committed))[0]
    append_log(os.path.dirname(candidate), name)
    if not os.path.exists(candidate):
        print(f"no candidate at {candidate}")
        return 1
    state = torch.load(candidate, map_location="cpu")["state"]
    baseline = state.get("init_val")
    if os.path.exists(committed) and (baseline is None or state["best_val"] >= baseline):
        print(f"not promoted: best val {state['best_val']:.4f} vs committed {baseline}")
        return 1
    os.makedirs(os.path.dirname(committed), exist_ok=True)
    shutil.copyfile(candidate, committed)
    print(f"promoted: val {baseline} -> {state['best_val']:.4f} at step {state['step']} ({state['tokens']/1e6:.2f}M tokens)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
