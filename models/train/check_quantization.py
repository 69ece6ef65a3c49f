"""Check an exported model against its checkpoint, and the quantized graph against fp32.

Usage: /usr/bin/python3 models/train/check_quantization.py CHECKPOINT MODEL_DIR [--windows 8 --length 128]
Teacher-forces fixed held-out windows through torch and through both ONNX graphs in
onnxruntime-web (KV cache, one token per step) and reports top-1 next-token agreement and loss.
Writes MODEL_DIR's figures to stdout and returns non-zero when q8 agreement is under --min-agreement.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lgc.checkpoint import load_model  # noqa: E402
from lgc.corpus import WORK  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def agreement(a, b):
    pairs = [(x, y) for wa, wb in zip(a, b) for x, y in zip(wa, wb)]
    return sum(x == y for x, y in pairs) / len(pairs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoint")
    ap.add_argument("model_dir")
    ap.add_argument("--data", default=os.path.join(WORK, "data", "val.bin"))
    ap.add_argument("--windows", type=int, default=8)
    ap.add_argument("--length", type=int, default=128)
    ap.add_argument("--min-agreement", type=float, default=0.98)
    args = ap.parse_args()
    model, _ = load_model(args.checkpoint)
    model.eval()
    data = np.memmap(args.data, dtype=np.uint16, mode="r")
    starts = np.linspace(0, len(data) - args.length - 1, args.windows).astype(np.int64)
    windows = [data[s:s + args.length].astype(np.int64).tolist() for s in starts]
    torch_argmax, torch_nll = [], []
    with torch.no_grad():
        for w in windows:
            x = torch.tensor([w])
            logits, _ = model(x)
            logp = torch.log_softmax(logits[0, :-1], -1)
            torch_argmax.append(logits[0, :-1].argmax(-1).tolist())
            torch_nll.append((-logp.gather(1, x[0, 1:, None])[:, 0]).tolist())
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"windows": windows}, f)
        windows_path = f.name
    env = dict(os.environ)
    out = subprocess.run(["node", os.path.join(HERE, "onnx_decode.cjs"), args.model_dir, windows_path,
                          "model.onnx", "model_quantized.onnx"], check=True, capture_output=True, text=True, env=env)
    os.unlink(windows_path)
    onnx = json.loads(out.stdout)
    fp32, q8 = onnx["model.onnx"], onnx["model_quantized.onnx"]
    mean = lambda rows: float(np.mean([v for r in rows for v in r]))  # noqa: E731
    report = {
        "positions": sum(len(w) - 1 for w in windows),
        "torch_loss": round(mean(torch_nll), 4),
        "onnx_fp32_loss": round(mean(fp32["nll"]), 4),
        "onnx_q8_loss": round(mean(q8["nll"]), 4),
        "top1_fp32_vs_torch": round(agreement(fp32["argmax"], torch_argmax), 4),
        "top1_q8_vs_fp32": round(agreement(q8["argmax"], fp32["argmax"]), 4),
        "size_fp32_mb": round(os.path.getsize(os.path.join(args.model_dir, "onnx", "model.onnx")) / 1e6, 2),
        "size_q8_mb": round(os.path.getsize(os.path.join(args.model_dir, "onnx", "model_quantized.onnx")) / 1e6, 2),
    }
    print(json.dumps(report, indent=1))
    if report["top1_q8_vs_fp32"] < args.min_agreement:
        sys.exit(f"quantized top-1 agreement {report['top1_q8_vs_fp32']} is under {args.min_agreement}")


if __name__ == "__main__":
    main()
