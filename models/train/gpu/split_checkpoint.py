"""Split a checkpoint into parts that fit what a device call returns, and join them again.

On the device (job.sh): python3 split_checkpoint.py RUN/best-fp16.pt OUT NAME
  re-saves the checkpoint with the tied embedding stored once (lm_head.weight is the embedding
  tensor), writes it as OUT/NAME.pt.00, .01, ... of at most PART_BYTES, and OUT/result.json (the
  training state, the sha256 and size of the whole file and its parts).
Here (pipeline.sh gpu-unpack): python3 split_checkpoint.py --join RESULTS DEST.pt
  checks every part and the whole against result.json and writes DEST.pt.
Runs with the machine's own torch (it imports nothing from the repository).
"""
import hashlib
import io
import json
import os
import sys

import torch

PART_BYTES = 15_000_000
MAX_PARTS = 4  # 8 files, 64 MiB together, come back from a call: job.log, train.log, result.json and the parts


def digest(data):
    return hashlib.sha256(data).hexdigest()


def split(src, out, name):
    ck = torch.load(src, map_location="cpu", weights_only=False)
    weights = ck["model"]
    if ck["config"].get("tie_word_embeddings") and "lm_head.weight" in weights:
        weights["lm_head.weight"] = weights["embed_tokens.weight"]
    buf = io.BytesIO()
    torch.save(ck, buf)
    data = buf.getvalue()
    parts = [data[i:i + PART_BYTES] for i in range(0, len(data), PART_BYTES)]
    if len(parts) > MAX_PARTS:
        raise SystemExit(f"checkpoint of {len(data)} bytes needs {len(parts)} parts, more than {MAX_PARTS}")
    names = []
    for i, part in enumerate(parts):
        names.append(f"{name}.pt.{i:02d}")
        with open(os.path.join(out, names[-1]), "wb") as f:
            f.write(part)
    params = sum(v.numel() for k, v in weights.items() if k != "lm_head.weight")
    result = {"name": name, "params": params, "state": ck["state"], "config": ck["config"], "bytes": len(data),
              "sha256": digest(data), "parts": [{"file": n, "sha256": digest(p)} for n, p in zip(names, parts)]}
    with open(os.path.join(out, "result.json"), "w") as f:
        json.dump(result, f, indent=1)
    print(f"{name}: {params/1e6:.2f}M params, best val {ck['state'].get('best_val')}, {len(data)} bytes in {len(parts)} parts")


def join(results, dest):
    with open(os.path.join(results, "result.json")) as f:
        result = json.load(f)
    chunks = []
    for part in result["parts"]:
        with open(os.path.join(results, part["file"]), "rb") as f:
            chunks.append(f.read())
        if digest(chunks[-1]) != part["sha256"]:
            raise SystemExit(f"{part['file']}: sha256 differs")
    data = b"".join(chunks)
    if len(data) != result["bytes"] or digest(data) != result["sha256"]:
        raise SystemExit("joined checkpoint differs from result.json")
    os.makedirs(os.path.dirname(os.path.abspath(dest)), exist_ok=True)
    with open(dest, "wb") as f:
        f.write(data)
    print(f"{dest}: {result['params']/1e6:.2f}M params, step {result['state']['step']}, "
          f"{result['state']['tokens']/1e6:.1f}M tokens, best val {result['state']['best_val']:.4f}")


if __name__ == "__main__":
    if sys.argv[1] == "--join":
        join(sys.argv[2], sys.argv[3])
    else:
        split(*sys.argv[1:4])
