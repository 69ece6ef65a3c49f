"""Write MODEL_CARD.md and SHA256SUMS for a model folder from the committed training records.

Usage: /usr/bin/python3 models/train/write_model_card.py NAME   (models/NAME, checkpoints/NAME.pt)
Every figure comes from a file: the checkpoint's state and config, logs/NAME.jsonl,
logs/NAME-quantization.json, logs/NAME-eval.json, logs/data-stats.json, tokenizer/bytes_per_token.json,
corpus/manifest.tsv. When logs/NAME-training.md exists (weights trained elsewhere, e.g. by a GPU job,
whose records are in logs/gpu/), it is the card's training section instead of the CPU log's, and
logs/NAME-scaling.md, when present, is added as the scaling section.
"""
import csv
import hashlib
import json
import os
import shutil
import sys
from collections import Counter

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.dirname(HERE)
WORK = os.path.join(MODELS, ".work")


# How lgc-small's training text changed between sessions; other cards state only what every run
# shares.
DATA_HISTORY = {"lgc-small": """Since step 456, half the
  documents and FIM chunks of packages with other files are preceded by repository context: up to
  three 12-line windows of sibling files that share the most identifiers with them, in the
  extension's few-shot snippet format (`models/train/lgc/repo_context.py`). Since step 1981 that
  share is 90% in the train text (val keeps 50%), and each train document is followed by a pattern
  list drawn from it (`models/train/lgc/patterns.py`; 4.4% of train tokens, and 6.3% with
  longer lists from step 3158): one of its lines repeated as a template with other names of the
  document, as code lines, as `name → line`, or as a renaming between cases, the copying that
  few-shot prompts ask for. From step 4843 the model trains with a 1024-token context (batch 4,
  the same tokens per step) on 2400-character FIM chunks, and the train text's repository context
  is chosen as the extension chooses its snippets, by the 12 lines before the cursor (before a FIM
  chunk's middle, or a plain document's first lines), not by the text to predict; val keeps its
  chunks, context and 512-token windows, so its loss compares."""}


def read_text(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return f.read().strip()


def load_json(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def append_log(run_dir, name):
    logs = os.path.join(HERE, "logs")
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
            record = json.loads(line)
            # A run's "init" record (its start, measured on its own held-out split) shares the
            # step of the previous run's last record.
            if record["step"] > last or (record["step"] == last and record.get("event") == "init"):
                out.write(line)


def refresh_records(name):
    """Copy this machine's measurements into the committed logs folder (they outlive the machine)."""
    logs = os.path.join(HERE, "logs")
    os.makedirs(logs, exist_ok=True)
    for src, dst in ((os.path.join(WORK, "runs", name, "quantization.json"), f"{name}-quantization.json"),
                     (os.path.join(WORK, "data", "stats.json"), "data-stats.json")):
        if os.path.exists(src):
            shutil.copyfile(src, os.path.join(logs, dst))
    append_log(os.path.join(WORK, "runs", name), name)


def count_params(cfg):
    h, v, f, L = cfg["hidden_size"], cfg["vocab_size"], cfg["intermediate_size"], cfg["num_hidden_layers"]
    kv = cfg["num_key_value_heads"] * h // cfg["num_attention_heads"]
    per_layer = 2 * h * h + 2 * h * kv + 3 * h * f + 2 * h
    return v * h * (1 if cfg["tie_word_embeddings"] else 2) + L * per_layer + h


def licence_table():
    """Licences of the sources the weights trained on (logs/trained-sources.txt), as the manifest records them."""
    path = os.path.join(HERE, "corpus", "manifest.tsv")
    trained_path = os.path.join(HERE, "logs", "trained-sources.txt")
    if not os.path.exists(path) or not os.path.exists(trained_path):
        return "corpus manifest or trained-sources list missing"
    with open(trained_path, encoding="utf-8") as f:
        trained = {line.strip() for line in f if line.strip()}
    sources = Counter()
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader((l for l in f if not l.startswith("#")), delimiter="\t"):
            if row["source"] in trained:
                sources[row.get("license") or "?"] += 1
    lines = [f"{len(trained)} sources trained on; their licences:", "", "| licence | sources |", "|---|---|"]
    lines += [f"| {lic} | {n} |" for lic, n in sources.most_common()]
    return "\n".join(lines)


def data_table(stats):
    if not stats:
        return "not measured yet"
    lines = ["| split | language | docs | MB | tokens (M) | bytes/token |", "|---|---|---|---|---|---|"]
    for split, by_lang in stats.items():
        for lang, s in sorted(by_lang.items(), key=lambda kv: -kv[1]["bytes"]):
            lines.append(f"| {split} | {lang} | {s['docs']} | {s['bytes']/1e6:.1f} | {s['tokens']/1e6:.2f} | "
                         f"{s['bytes']/max(1, s['tokens']):.2f} |")
    return "\n".join(lines)


def val_points(name):
    path = os.path.join(HERE, "logs", f"{name}.jsonl")
    if not os.path.exists(path):
        return "no log", []
    with open(path) as f:
        rows = [json.loads(l) for l in f]
    vals = [r for r in rows if "val_loss" in r]
    speeds = sorted(r["tok_per_s"] for r in rows if "tok_per_s" in r)
    lines = ["| step | tokens seen | val loss | perplexity |", "|---|---|---|---|"]
    stride = max(1, len(vals) // 12)
    shown = set(range(0, len(vals), stride)) | {len(vals) - 1} | {i for i, r in enumerate(vals) if r.get("event") == "init"}
    for i in sorted(i for i in shown if 0 <= i < len(vals)):
        r = vals[i]
        # The held-out split changes with the corpus: each run first measures its starting weights on its own.
        note = " (run start: from here on, a new held-out split)" if r.get("event") == "init" else ""
        lines.append(f"| {r['step']}{note} | {r['tokens']/1e6:.2f}M | {r['val_loss']:.3f} | {2.718281828 ** r['val_loss']:.1f} |")
    return "\n".join(lines), speeds


def sha_manifest(folder):
    rows = []
    for root, _, files in os.walk(folder):
        for fn in sorted(files):
            if fn in ("SHA256SUMS",):
                continue
            p = os.path.join(root, fn)
            with open(p, "rb") as f:
                rows.append(f"{hashlib.sha256(f.read()).hexdigest()}  {os.path.relpath(p, folder)}")
    with open(os.path.join(folder, "SHA256SUMS"), "w") as f:
        f.write("\n".join(sorted(rows, key=lambda r: r.split("  ")[1])) + "\n")


def main():
    name = sys.argv[1]
    folder = os.path.join(MODELS, name)
    refresh_records(name)
    ckpt = torch.load(os.path.join(HERE, "checkpoints", f"{name}.pt"), map_location="cpu", weights_only=False)
    cfg, state = ckpt["config"], ckpt["state"]  # the weights' own architecture (a release can change size)
    training_notes = read_text(os.path.join(HERE, "logs", f"{name}-training.md"))
    scaling = read_text(os.path.join(HERE, "logs", f"{name}-scaling.md"))
    quant = load_json(os.path.join(HERE, "logs", f"{name}-quantization.json")) or {}
    evals = load_json(os.path.join(HERE, "logs", f"{name}-eval.json"))
    bpt = load_json(os.path.join(HERE, "tokenizer", "bytes_per_token.json")) or {}
    stats = load_json(os.path.join(HERE, "logs", "data-stats.json"))
    val_table, speeds = val_points(name)
    median_speed = speeds[len(speeds) // 2] if speeds else None
    files = sorted(os.path.relpath(os.path.join(r, f), folder) for r, _, fs in os.walk(folder) for f in fs)
    sizes = "\n".join(f"- `{f}`: {os.path.getsize(os.path.join(folder, f))/1e6:.2f} MB" for f in files if f.startswith("onnx/"))
    eval_text = "\n".join(f"- {k}: {v}" for k, v in evals.items()) if evals else "Not measured yet (the completion benchmark runs through the headless CLI; see the README)."
    data_history = DATA_HISTORY.get(name, "")
    training = f"## Training\n{training_notes}" if training_notes else f"""## Training
- Objective: next-token prediction; about half the documents are rewritten for fill-in-the-middle
  (PSM and SPM, split at random or at a cursor-like point to end of line). {data_history}
- AdamW (0.9, 0.95), weight decay 0.1, warmup then cosine, gradient clipping 1.0, fixed seeds.
- Steps: {state['step']}; **tokens seen: {state['tokens']/1e6:.2f}M**; training time {state.get('train_seconds', 0)/3600:.2f} h
  on a 2-core CPU machine (torch 1.13, OpenBLAS) shared with other work: median {median_speed} tok/s,
  from {speeds[0] if speeds else None} to {speeds[-1] if speeds else None} tok/s as the load changed.
- **Best held-out val loss: {state['best_val']:.4f}** (perplexity {2.718281828 ** state['best_val']:.1f}).

{val_table}"""
    if scaling:
        training += f"\n\n## Scaling\n{scaling}"
    card = f"""# {name}

A decoder-only Transformer trained by this project from scratch for code completion
(fill-in-the-middle and left-to-right), shipped as int8 ONNX for onnxruntime-web.
Made by `models/train/pipeline.sh`; every figure below is read from the committed training records.

## Architecture
Llama-style GPT: token embedding, {cfg['num_hidden_layers']} blocks of [RMSNorm, masked multi-head
self-attention with rotary positions ({cfg['num_attention_heads']} query heads, {cfg['num_key_value_heads']} key/value
heads: grouped-query attention), residual, RMSNorm, SwiGLU feed-forward ({cfg['intermediate_size']} hidden), residual],
final RMSNorm, linear layer tied to the embedding, softmax over {cfg['vocab_size']} tokens.
Hidden size {cfg['hidden_size']}, head size {cfg['hidden_size'] // cfg['num_attention_heads']}.
**Parameters: {count_params(cfg)/1e6:.2f}M.** Trained with a {state.get('train_seq') or (512 if name == 'lgc-small' else 256)}-token context; rotary
positions are not trained beyond it, so prompts should stay within it.

ONNX I/O follows Hugging Face optimum's Llama exports: inputs `input_ids`, `attention_mask`,
`position_ids`, `past_key_values.{{i}}.key/value`; outputs `logits` (last position only) and
`present.{{i}}.key/value`.

## Tokenizer
Byte-level BPE trained on the corpus (`models/train/train_tokenizer.py`), the first {cfg['vocab_size']} entries of
the 16384-entry merge list. Special tokens: `<|endoftext|>` (EOS), `<|fim_prefix|>`, `<|fim_middle|>`,
`<|fim_suffix|>`, `<|fim_pad|>`, `<|file_sep|>`. The pre-tokenizer keeps a line break with its
indentation. Bytes per token on held-out code by vocabulary size: {bpt or 'not measured'}.

{training}

## Data
Permissively licensed code only (MIT, BSD, Apache-2.0, ISC, PSF and the like); the per-source
manifest is `models/train/corpus/manifest.tsv`, and the validation split is held out by package.

{licence_table()}

{data_table(stats)}

## Quantization
uint8 weights (one scale per output column) with uint8 activations quantized at run time, one
symmetric scale per token, into MatMulInteger: a token's result does not depend on the tokens run
with it, so a prompt decodes alike whether it was prefilled at once or partly came from the KV
cache (`models/train/quantize.py`). Measured by
`models/train/check_quantization.py` on held-out windows through onnxruntime-web:
{json.dumps(quant)}

{sizes}

## Evaluation
{eval_text}

## Intended use and limitations
For inline code completion and short prompts in the Local GPT Completion extension, offline.
It is a very small model: expect plausible local syntax and names
copied from context rather than correct programs. It knows nothing beyond its corpus, can
reproduce snippets of its training data (all permissively licensed), and has had no safety tuning.
"""
    with open(os.path.join(folder, "MODEL_CARD.md"), "w") as f:
        f.write(card)
    sha_manifest(folder)
    print(f"wrote {folder}/MODEL_CARD.md and SHA256SUMS")


if __name__ == "__main__":
    main()
