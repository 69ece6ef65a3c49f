"""Pre-train the GPT on the next-token objective over the FIM-augmented token stream.

Usage:
  /usr/bin/python3 models/train/train.py --config models/train/configs/lgc-small.json \
      --run models/.work/runs/lgc-small [--init models/train/checkpoints/lgc-small.pt] [--minutes 120]

Resumes from RUN/latest.pt (same machine) or else from --init (the committed fp16 weights).
AdamW, linear warmup then cosine decay over --horizon-tokens (or, with --schedule minutes, over the
run's wall-clock minutes, so that a device of unknown speed still ends at --min-lr), gradient
clipping, seeded batches, val loss at intervals, tok/s logged to RUN/log.jsonl. Uses CUDA with
bf16 autocast, TF32 and the fused attention of lgc/model.py when present; --compile compiles the
training loss with torch.compile (torch >= 2) after --compile-at steps, so the log shows the
eager and the compiled tok/s of the same run.
"""
import argparse
import json
import math
import os
import signal
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lgc.checkpoint import load_model, save_fp16, save_full  # noqa: E402
from lgc.corpus import WORK  # noqa: E402
from lgc.model import GPT, GPTConfig, fused_available  # noqa: E402


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--run", required=True, help="folder for latest.pt, best-fp16.pt and log.jsonl")
    ap.add_argument("--data", default=os.path.join(WORK, "data"))
    ap.add_argument("--init", help="fp16 checkpoint to resume from when RUN has none")
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--max-steps", type=int, default=None)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--seq", type=int, default=512, help="train context; the exported model's context is the longest trained")
    ap.add_argument("--eval-seq", type=int, default=None,
                    help="val window length (default --seq); fixed, val loss compares across a change of --seq")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--min-lr", type=float, default=1e-4)
    ap.add_argument("--warmup", type=int, default=200, help="steps, also used to re-warm after --init")
    ap.add_argument("--horizon-tokens", type=float, default=40e6, help="cosine decay length (about eight sessions)")
    ap.add_argument("--schedule", choices=("tokens", "minutes"), default="tokens",
                    help="cosine over --horizon-tokens, or over this run's --minutes of wall-clock time")
    ap.add_argument("--compile", action="store_true", help="torch.compile the training loss (torch >= 2; else eager)")
    ap.add_argument("--compile-at", type=int, default=0, help="steps of this run to train eagerly before compiling")
    ap.add_argument("--weight-decay", type=float, default=0.1)
    ap.add_argument("--clip", type=float, default=1.0)
    ap.add_argument("--eval-every", type=int, default=100)
    ap.add_argument("--eval-windows", type=int, default=64)
    ap.add_argument("--save-every", type=int, default=50)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1337)
    return ap.parse_args()


def lr_at(tokens, steps_since_start, args, elapsed_fraction=None):
    """Warmup over steps since this run (re)started, then cosine to --min-lr. The cosine's position
    is the share of --horizon-tokens seen (tokens, not steps: weights trained elsewhere with
    larger batches, like the GPU-trained default, resume past the horizon, at --min-lr), or with
    --schedule minutes the share of the run's wall-clock time gone (elapsed_fraction), which ends
    at --min-lr whatever the device's speed."""
    if args.schedule == "minutes":
        progress = min(1.0, elapsed_fraction or 0.0)
    else:
        progress = min(1.0, tokens / args.horizon_tokens)
    cosine = args.min_lr + 0.5 * (args.lr - args.min_lr) * (1 + math.cos(math.pi * progress))
    return cosine * min(1.0, (steps_since_start + 1) / args.warmup)


def make_optimizer(model, args):
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    return torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                              {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, betas=(0.9, 0.95))


def batch_at(data, step, args, device):
    rng = np.random.default_rng((args.seed, step))
    starts = rng.integers(0, len(data) - args.seq - 1, size=args.batch)
    rows = np.stack([data[s:s + args.seq + 1] for s in starts]).astype(np.int64)
    t = torch.from_numpy(rows).to(device)
    return t[:, :-1], t[:, 1:]


@torch.no_grad()
def evaluate(model, val, args, device, autocast):
    """Mean loss over fixed, evenly spaced windows of the held-out split (same windows every time)."""
    model.eval()
    seq = args.eval_seq or args.seq
    n = min(args.eval_windows, max(1, (len(val) - 1) // seq))
    starts = np.linspace(0, len(val) - seq - 1, n).astype(np.int64)
    losses = []
    for i in range(0, n, args.batch):
        rows = np.stack([val[s:s + seq + 1] for s in starts[i:i + args.batch]]).astype(np.int64)
        t = torch.from_numpy(rows).to(device)
        with autocast():
            losses.append(model.loss(t[:, :-1], t[:, 1:]).item() * len(rows))
    model.train()
    return sum(losses) / n


def compiled_loss(model, eager, data, step, args, device, autocast):
    """model.loss through torch.compile, tried once on a batch (compiling forward and backward);
    the eager function when torch has no compile or compiling fails. Evaluation stays eager (its
    windows have another shape, which would compile again)."""
    if not hasattr(torch, "compile"):
        print("compile: torch has no torch.compile; training eagerly", flush=True)
        return eager
    t0 = time.time()
    try:
        fn = torch.compile(model.loss)
        x, y = batch_at(data, step, args, device)
        with autocast():
            fn(x, y).backward()
        model.zero_grad(set_to_none=True)
    except Exception as e:  # noqa: BLE001 - any compiler failure falls back to the same function eagerly
        print(f"compile: failed ({type(e).__name__}: {str(e)[:200]}); training eagerly", flush=True)
        model.zero_grad(set_to_none=True)
        return eager
    print(f"compile: compiled the training loss in {time.time() - t0:.1f}s at step {step}", flush=True)
    return fn


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True

        def autocast():
            return torch.autocast("cuda", dtype=torch.bfloat16)
    else:
        import contextlib
        autocast = contextlib.nullcontext
    os.makedirs(args.run, exist_ok=True)
    latest = os.path.join(args.run, "latest.pt")
    state = {"step": 0, "tokens": 0, "best_val": float("inf"), "train_seconds": 0.0}
    fresh_init = False
    if os.path.exists(latest):
        model, ckpt = load_model(latest, device)
        optimizer = make_optimizer(model, args)
        optimizer.load_state_dict(ckpt["optimizer"])
        state = ckpt["state"]
        rewarm_from = state.get("rewarm_from", 0)
        print(f"resumed {latest} at step {state['step']}", flush=True)
    elif args.init:
        model, ckpt = load_model(args.init, device)
        optimizer = make_optimizer(model, args)
        state = dict(ckpt["state"])
        rewarm_from = state["rewarm_from"] = state["step"]
        print(f"initialised from {args.init} at step {state['step']} ({state['tokens']/1e6:.2f}M tokens)", flush=True)
        state.pop("init_val", None)
        fresh_init = True
    else:
        model = GPT(GPTConfig.load(args.config)).to(device)
        optimizer = make_optimizer(model, args)
        rewarm_from = state["rewarm_from"] = 0
    print(f"model {model.num_params()/1e6:.2f}M params on {device}", flush=True)
    train = np.memmap(os.path.join(args.data, "train.bin"), dtype=np.uint16, mode="r")
    val = np.memmap(os.path.join(args.data, "val.bin"), dtype=np.uint16, mode="r")
    print(f"data: train {len(train)/1e6:.1f}M tokens, val {len(val)/1e6:.2f}M tokens", flush=True)
    tokens_per_step = args.batch * args.seq
    # Rotary positions past the training length are untrained: the export states this as the context.
    state["train_seq"] = max(state.get("train_seq", 0), args.seq)
    if fresh_init:
        # The held-out split can change when the corpus grows: re-measure the starting point on
        # today's split, so "improved" always compares like with like.
        state["init_val"] = state["best_val"] = evaluate(model, val, args, device, autocast)
        print(f"val loss of the initial weights on this split: {state['init_val']:.4f}", flush=True)
    log = open(os.path.join(args.run, "log.jsonl"), "a")
    if fresh_init:
        log.write(json.dumps({"step": state["step"], "tokens": state["tokens"], "val_loss": round(state["init_val"], 4),
                              "event": "init", "time": time.strftime("%Y-%m-%dT%H:%M:%S")}) + "\n")
        log.flush()
    loop_start = time.time()
    deadline = loop_start + args.minutes * 60
    loss_fn = model.loss
    print(f"attention: {'fused scaled_dot_product_attention' if fused_available() else 'masked matmul'}", flush=True)
    stop_requested = []
    # SIGTERM/SIGINT end the run after the current step, with the final eval and saves below, so
    # a session can stop training at any moment without losing the steps since the last eval.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop_requested.append(True))
    window_t, window_tokens, first_step = time.time(), 0, state["step"]
    while not stop_requested and time.time() < deadline and (args.max_steps is None or state["step"] - first_step < args.max_steps):
        step = state["step"]
        if args.compile and step - first_step == args.compile_at:
            loss_fn = compiled_loss(model, loss_fn, train, step, args, device, autocast)
        lr = lr_at(state["tokens"], step - rewarm_from, args, (time.time() - loop_start) / (deadline - loop_start))
        for g in optimizer.param_groups:
            g["lr"] = lr
        x, y = batch_at(train, step, args, device)
        with autocast():
            loss = loss_fn(x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        state["step"] += 1
        state["tokens"] += tokens_per_step
        window_tokens += tokens_per_step
        record = None
        if state["step"] % 10 == 0:
            now = time.time()
            state["train_seconds"] += now - window_t
            record = {"step": state["step"], "tokens": state["tokens"], "loss": round(loss.item(), 4), "lr": lr,
                      "tok_per_s": round(window_tokens / (now - window_t), 1)}
            window_t, window_tokens = now, 0
        if state["step"] % args.eval_every == 0:
            val_loss = evaluate(model, val, args, device, autocast)
            record = dict(record or {"step": state["step"], "tokens": state["tokens"]}, val_loss=round(val_loss, 4))
            if val_loss < state["best_val"]:
                state["best_val"] = val_loss
                save_fp16(os.path.join(args.run, "best-fp16.pt"), model, dict(state))
            window_t = time.time()
        if record:
            record["time"] = time.strftime("%Y-%m-%dT%H:%M:%S")
            log.write(json.dumps(record) + "\n")
            log.flush()
            print(json.dumps(record), flush=True)
        if state["step"] % args.save_every == 0:
            save_full(latest, model, optimizer, state)
    val_loss = evaluate(model, val, args, device, autocast)
    if val_loss < state["best_val"]:
        state["best_val"] = val_loss
        save_fp16(os.path.join(args.run, "best-fp16.pt"), model, dict(state))
    log.write(json.dumps({"step": state["step"], "tokens": state["tokens"], "val_loss": round(val_loss, 4),
                          "time": time.strftime("%Y-%m-%dT%H:%M:%S"), "event": "stop"}) + "\n")
    save_full(latest, model, optimizer, state)
    print(f"stopped at step {state['step']}, {state['tokens']/1e6:.2f}M tokens, best val {state['best_val']:.4f}", flush=True)


if __name__ == "__main__":
    main()
