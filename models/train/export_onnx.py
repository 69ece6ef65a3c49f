"""Export a checkpoint to ONNX in the transformers.js folder layout (Hugging Face optimum's names).

Usage: /usr/bin/python3 models/train/export_onnx.py CHECKPOINT OUT_DIR [--all-logits]
Writes OUT_DIR/onnx/model.onnx (fp32), config.json, generation_config.json and the tokenizer
files. Inputs: input_ids, attention_mask, position_ids, past_key_values.{i}.key/value;
outputs: logits, present.{i}.key/value; batch, sequence and past-sequence axes are dynamic.
By default logits are computed for the last position only: all-position logits cost ~30% of
prefill time and nothing in the extension reads them.
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lgc import bpe  # noqa: E402
from lgc.checkpoint import load_model  # noqa: E402
from lgc.corpus import TOKENIZER_PATH  # noqa: E402

OPSET = 17


class OptimumStyleDecoder(torch.nn.Module):
    def __init__(self, model, last_logits_only):
        super().__init__()
        self.model = model
        self.last_logits_only = last_logits_only

    def forward(self, input_ids, attention_mask, position_ids, *past_flat):
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(len(past_flat) // 2)]
        logits, presents = self.model(input_ids, attention_mask, position_ids, past, self.last_logits_only)
        return (logits, *[t for kv in presents for t in kv])


def export_graph(model, path, last_logits_only):
    cfg = model.cfg
    n_layers = cfg.num_hidden_layers
    past_len, seq = 3, 2
    input_ids = torch.randint(0, cfg.vocab_size, (1, seq))
    attention_mask = torch.ones(1, past_len + seq, dtype=torch.long)
    position_ids = torch.arange(past_len, past_len + seq).unsqueeze(0)
    past = [torch.randn(1, cfg.num_key_value_heads, past_len, cfg.head_dim) for _ in range(2 * n_layers)]
    past_names = [f"past_key_values.{i}.{kv}" for i in range(n_layers) for kv in ("key", "value")]
    present_names = [f"present.{i}.{kv}" for i in range(n_layers) for kv in ("key", "value")]
    dynamic = {"input_ids": {0: "batch_size", 1: "sequence_length"},
               "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
               "position_ids": {0: "batch_size", 1: "sequence_length"},
               "logits": {0: "batch_size", 1: "logits_length"}}
    for n in past_names:
        dynamic[n] = {0: "batch_size", 2: "past_sequence_length"}
    for n in present_names:
        dynamic[n] = {0: "batch_size", 2: "total_sequence_length"}
    torch.onnx.export(OptimumStyleDecoder(model.eval(), last_logits_only), (input_ids, attention_mask, position_ids, *past),
                      path, input_names=["input_ids", "attention_mask", "position_ids", *past_names],
                      output_names=["logits", *present_names], dynamic_axes=dynamic, opset_version=OPSET,
                      do_constant_folding=True)


def hf_config(cfg, eos_id, context):
    return {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_act": "silu",
        "vocab_size": cfg.vocab_size, "hidden_size": cfg.hidden_size, "intermediate_size": cfg.intermediate_size,
        "num_hidden_layers": cfg.num_hidden_layers, "num_attention_heads": cfg.num_attention_heads,
        "num_key_value_heads": cfg.num_key_value_heads, "head_dim": cfg.head_dim,
        "max_position_embeddings": context, "rope_theta": cfg.rope_theta,
        "rms_norm_eps": cfg.rms_norm_eps, "tie_word_embeddings": cfg.tie_word_embeddings,
        "attention_bias": False, "mlp_bias": False, "torch_dtype": "float32", "use_cache": True,
        "bos_token_id": eos_id, "eos_token_id": eos_id, "pad_token_id": eos_id,
    }


def write_model_folder(model, out_dir, tokenizer_path, last_logits_only, context):
    cfg = model.cfg
    os.makedirs(os.path.join(out_dir, "onnx"), exist_ok=True)
    export_graph(model, os.path.join(out_dir, "onnx", "model.onnx"), last_logits_only)
    with open(tokenizer_path, encoding="utf-8") as f:
        tokenizer = bpe.truncated(json.load(f), cfg.vocab_size)
    eos_id = next(t["id"] for t in tokenizer["added_tokens"] if t["content"] == bpe.SPECIAL_TOKENS[0])
    files = {
        "tokenizer.json": tokenizer,
        "tokenizer_config.json": bpe.tokenizer_config(),
        "special_tokens_map.json": {"eos_token": bpe.SPECIAL_TOKENS[0], "pad_token": bpe.SPECIAL_TOKENS[0],
                                    "additional_special_tokens": bpe.SPECIAL_TOKENS[1:]},
        "config.json": hf_config(cfg, eos_id, context),
        "generation_config.json": {"bos_token_id": eos_id, "eos_token_id": [eos_id], "pad_token_id": eos_id,
                                   "do_sample": False, "max_new_tokens": 64},
    }
    for name, content in files.items():
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
            json.dump(content, f, ensure_ascii=False, indent=None if name == "tokenizer.json" else 2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoint")
    ap.add_argument("out_dir")
    ap.add_argument("--tokenizer", default=TOKENIZER_PATH)
    ap.add_argument("--all-logits", action="store_true", help="logits for every position, not just the last")
    args = ap.parse_args()
    model, ckpt = load_model(args.checkpoint)
    # The context a model handles is the sequence length it trained on, not what RoPE could encode.
    context = ckpt["state"].get("train_seq") or model.cfg.max_position_embeddings
    write_model_folder(model, args.out_dir, args.tokenizer, not args.all_logits, context)
    print(f"exported {args.checkpoint} -> {args.out_dir}")


if __name__ == "__main__":
    main()
