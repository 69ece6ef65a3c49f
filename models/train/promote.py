"""Decide whether a run's best weights replace the committed checkpoint.

Usage: /usr/bin/python3 models/train/promote.py RUN/best-fp16.pt models/train/checkpoints/NAME.pt
Exits 0 after copying when held-out loss improved on the split the run measured both on, 1 otherwise.
"""
import os
import shutil
import sys

import torch


def main():
    candidate, committed = sys.argv[1], sys.argv[2]
    if not os.path.exists(candidate):
        print(f"no candidate at {candidate}")
        return 1
    state = torch.load(candidate, map_location="cpu")["state"]
    # A run started from the committed weights measured them on its own split (init_val); a run
    # that continued this machine's own run shares the committed checkpoint's split and best_val.
    baseline = state.get("init_val")
    if baseline is None and os.path.exists(committed):
        baseline = torch.load(committed, map_location="cpu")["state"].get("best_val")
    if os.path.exists(committed) and (baseline is None or state["best_val"] >= baseline):
        print(f"not promoted: best val {state['best_val']:.4f} vs committed {baseline}")
        return 1
    os.makedirs(os.path.dirname(committed), exist_ok=True)
    shutil.copyfile(candidate, committed)
    print(f"promoted: val {baseline} -> {state['best_val']:.4f} at step {state['step']} ({state['tokens']/1e6:.2f}M tokens)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
