"""Tests of the GPU stage: fused attention dispatch, the wall-clock schedule, and the device job
(pack_job.py -> job.sh -> split_checkpoint.py --join) run on the CPU with tiny settings.

Run: /usr/bin/python3 -m unittest discover -s models/train/tests -v   (part of `npm test`)
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import unittest
from unittest import mock

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
TRAIN = os.path.dirname(HERE)
sys.path.insert(0, TRAIN)
from lgc import model as M  # noqa: E402
from lgc.checkpoint import load_model, read, save_fp16  # noqa: E402
from train import lr_at  # noqa: E402

TINY = M.GPTConfig(vocab_size=300, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                   num_key_value_heads=2, intermediate_size=64)
REAL_SDPA = getattr(torch.nn.functional, "scaled_dot_product_attention", None)


def reference_sdpa(q, k, v, is_causal=False):
    """scaled_dot_product_attention's definition, written out (torch 1.13 has no fused kernel)."""
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
    if is_causal:
        t, s = q.shape[-2], k.shape[-2]
        scores = scores.masked_fill(torch.ones(t, s, dtype=torch.bool).triu(1), float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def tiny_losses(sdpa):
    torch.manual_seed(0)
    model = M.GPT(TINY).eval()
    ids = torch.randint(0, TINY.vocab_size, (2, 17))
    calls = []

    def counting(*a, **k):
        calls.append(k.get("is_causal"))
        return sdpa(*a, **k)

    with torch.no_grad(), mock.patch.object(M, "sdpa", counting):
        fused = model.loss(ids[:, :-1], ids[:, 1:]).item()
        with mock.patch.object(M, "use_fused", False):
            masked = model.loss(ids[:, :-1], ids[:, 1:]).item()
    return fused, masked, calls


class FusedAttentionTest(unittest.TestCase):
    def test_the_loss_dispatches_to_the_fused_function_with_the_same_result(self):
        fused, masked, calls = tiny_losses(reference_sdpa)
        self.assertEqual(calls, [True] * TINY.num_hidden_layers)  # once per block, causal; never when off
        self.assertLess(abs(fused - masked), 1e-5)

    def test_a_wrong_fused_function_would_change_the_loss(self):
        fused, masked, _ = tiny_losses(lambda q, k, v, is_causal=False: reference_sdpa(q, k, v, is_causal=False))
        self.assertGreater(abs(fused - masked), 1e-4)  # a non-causal kernel sees the future (7e-4 here)

    def test_without_the_fused_function_the_masked_matmul_runs(self):
        with mock.patch.object(M, "sdpa", None):
            self.assertFalse(M.fused_available())

    @unittest.skipIf(REAL_SDPA is None, f"torch {torch.__version__} has no scaled_dot_product_attention")
    def test_torchs_fused_kernel_gives_the_masked_loss(self):
        fused, masked, calls = tiny_losses(REAL_SDPA)
        self.assertEqual(len(calls), TINY.num_hidden_layers)
        self.assertAlmostEqual(fused, masked, places=4)


class WallClockScheduleTest(unittest.TestCase):
    def test_the_cosine_runs_over_the_minutes_and_ends_at_min_lr(self):
        args = argparse.Namespace(schedule="minutes", lr=1e-3, min_lr=1e-4, warmup=10, horizon_tokens=1e9)
        self.assertAlmostEqual(lr_at(0, 0, args, 0.0), 1e-4)  # warmup: 1/10 of the peak
        self.assertAlmostEqual(lr_at(5e5, 500, args, 0.0), 1e-3)
        self.assertAlmostEqual(lr_at(5e5, 500, args, 0.5), 5.5e-4)
        self.assertAlmostEqual(lr_at(9e3, 500, args, 1.0), 1e-4)
        self.assertAlmostEqual(lr_at(9e3, 500, args, 1.7), 1e-4)  # past the end: stays at min
        args.schedule = "tokens"  # the token horizon ignores the clock
        self.assertAlmostEqual(lr_at(5e8, 500, args, 1.0), lr_at(5e8, 500, args, 0.0))
        self.assertAlmostEqual(lr_at(5e8, 500, args), 5.5e-4)

    def test_the_token_schedule_counts_tokens_seen_not_steps(self):
        # The shipped weights: 3900 steps of 64 x 1024 tokens on a GPU (255.6M tokens), resumed on
        # the CPU at 4096 tokens a step: past a 40M horizon, so at --min-lr after the re-warmup.
        args = argparse.Namespace(schedule="tokens", lr=1e-3, min_lr=1e-4, warmup=200, horizon_tokens=40e6)
        self.assertAlmostEqual(lr_at(255.6e6, 500, args), 1e-4)


class DeviceJobTest(unittest.TestCase):
    def test_the_job_packs_within_budget_trains_and_returns_a_checkpoint_that_joins(self):
        with tempfile.TemporaryDirectory() as tmp:
            data, job, out = (os.path.join(tmp, d) for d in ("data", "job", "out"))
            os.makedirs(data)
            rng = np.random.default_rng(0)
            # A learnable stream: a repeating pattern with noise, so the loss must fall.
            pattern = rng.integers(0, TINY.vocab_size, 97)
            stream = np.tile(pattern, 3000).astype(np.uint16)
            stream[rng.random(stream.size) < 0.05] = 7
            stream.tofile(os.path.join(data, "train.bin"))
            stream[:5000].tofile(os.path.join(data, "val.bin"))
            config = os.path.join(tmp, "tiny.json")
            with open(config, "w") as f:
                json.dump(TINY.to_dict(), f)
            subprocess.run([sys.executable, os.path.join(TRAIN, "gpu", "pack_job.py"), "--out", job, "--config", config,
                            "--name", "tiny", "--data", data, "--budget-mib", "0.075", "--parts", "3", "--chunk-tokens", "20000", "--minutes", "0.25",
                            "--batch", "4", "--seq", "64", "--eval-seq", "64", "--lr", "3e-3", "--warmup", "5",
                            "--eval-every", "20", "--eval-windows", "4", "--compile-at", "3"], check=True, capture_output=True)
            with open(os.path.join(job, "MANIFEST.json")) as f:
                manifest = json.load(f)
            size = sum(os.path.getsize(os.path.join(r, n)) for r, _, fs in os.walk(job) for n in fs)
            self.assertLessEqual(size, 0.075 * (1 << 20))
            self.assertGreater(manifest["train_tokens"], 50_000)
            self.assertLess(manifest["train_tokens"], stream.size)  # the budget, not the data, set the count
            env = dict(os.environ, OUT=out, PYTHON=sys.executable, WORK=os.path.join(tmp, "work"), THREADS="1")
            subprocess.run(["bash", os.path.join(job, "job.sh")], env=env, check=True, capture_output=True, timeout=300)
            files = os.listdir(out)
            self.assertLessEqual(len(files), 8)
            self.assertTrue(all(os.path.getsize(os.path.join(out, n)) <= 16 << 20 for n in files))
            with open(os.path.join(out, "job.log")) as f:
                log = f.read()
            self.assertIn(f"unpacked {manifest['train_tokens']} train tokens", log)
            with open(os.path.join(out, "train.log")) as f:
                train_log = f.read()
            self.assertIn("compile: ", train_log)  # compiled, or said why not (torch 1.13 has no compile)
            records = [json.loads(line) for line in train_log.splitlines() if line.startswith("{")]
            vals = [r["val_loss"] for r in records if "val_loss" in r]
            self.assertLess(vals[-1], vals[0] - 0.5)
            self.assertAlmostEqual([r["lr"] for r in records if "lr" in r][-1], 1e-4, delta=2e-4)
            dest = os.path.join(tmp, "joined.pt")
            subprocess.run([sys.executable, os.path.join(TRAIN, "gpu", "split_checkpoint.py"), "--join", out, dest],
                           check=True, capture_output=True)
            model, ckpt = load_model(dest)
            self.assertEqual(model.cfg, TINY)
            self.assertLessEqual(ckpt["state"]["best_val"], min(vals) + 1e-4)  # or the final eval, which is not printed
            with open(os.path.join(out, "result.json")) as f:
                part = json.load(f)["parts"][0]["file"]
            with open(os.path.join(out, part), "r+b") as f:  # a damaged part is refused
                f.seek(100)
                f.write(b"\0\1\2\3")
            broken = subprocess.run([sys.executable, os.path.join(TRAIN, "gpu", "split_checkpoint.py"), "--join", out,
                                     os.path.join(tmp, "broken.pt")], capture_output=True)
            self.assertNotEqual(broken.returncode, 0)


class TiedCheckpointTest(unittest.TestCase):
    def test_fp16_checkpoints_store_the_tied_embedding_once(self):
        with tempfile.TemporaryDirectory() as tmp:
            model = M.GPT(M.GPTConfig(vocab_size=2000, hidden_size=64, num_hidden_layers=1, num_attention_heads=2,
                                      num_key_value_heads=1, intermediate_size=64))
            path = os.path.join(tmp, "w.pt")
            save_fp16(path, model, {"step": 0})
            embedding_bytes = 2000 * 64 * 2
            self.assertLess(os.path.getsize(path), 1.5 * embedding_bytes)  # twice would be 2x
            weights = read(path)["model"]
            self.assertTrue(torch.equal(weights["lm_head.weight"], weights["embed_tokens.weight"]))
            loaded, _ = load_model(path)
            self.assertTrue(torch.equal(loaded.lm_head.weight, loaded.embed_tokens.weight))


if __name__ == "__main__":
    unittest.main()
