"""Decide whether a run's best weights replace the committed checkpoint.

Usage: /usr/bin/python3 models/train/promote.py RUN/best-fp16.pt BASELINE.pt [DEST.pt]
Exits 0 after copying the candidate to DEST (default BASELINE) when held-out loss improved on the
split the run measured both on, 1 otherwise. pipeline.sh's promote compares with the latest
promoted checkpoint (models/.work/checkpoints, else the shipped one) and writes models/.work.
"""
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lgc.checkpoint import read  # noqa: E402


def baseline_val(state, committed_state):
    """The held-out loss the candidate must beat. A run started from the committed weights measured
    them on its own split (init_val). Once a run's own weights were promoted (the committed
    checkpoint continues this run: same rewarm_from, later step), they are the bar, on the same
    split: init_val then dates from the run's first session and would let a worse run through."""
    if committed_state is None:
        return None
    same_run = committed_state.get("rewarm_from") == state.get("rewarm_from") and committed_state["step"] > state.get("rewarm_from", 0)
    if same_run or state.get("init_val") is None:
        return committed_state.get("best_val")
    return state["init_val"]


def main():
    candidate, committed = sys.argv[1], sys.argv[2]
    dest = sys.argv[3] if len(sys.argv) > 3 else committed
    if not os.path.exists(candidate):
        print(f"no candidate at {candidate}")
        return 1
    state = read(candidate)["state"]
    committed_state = read(committed)["state"] if os.path.exists(committed) else None
    baseline = baseline_val(state, committed_state)
    if committed_state is not None and (baseline is None or state["best_val"] >= baseline):
        print(f"not promoted: best val {state['best_val']:.4f} vs committed {baseline}")
        return 1
    os.makedirs(os.path.dirname(os.path.abspath(dest)), exist_ok=True)
    shutil.copyfile(candidate, dest)
    print(f"promoted: val {baseline} -> {state['best_val']:.4f} at step {state['step']} ({state['tokens']/1e6:.2f}M tokens)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
