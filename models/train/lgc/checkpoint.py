"""Checkpoints: a full one (weights + optimizer) for resuming within a machine's life, and a
committed fp16 weights-only one that training resumes from across sessions."""
import os

import torch

from .model import GPT, GPTConfig


def save_full(path, model, optimizer, state):
    tmp = path + ".tmp"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "state": state,
                "config": model.cfg.to_dict()}, tmp)
    os.replace(tmp, path)


def save_fp16(path, model, state):
    """Weights in fp16 plus training state; optimizer moments are re-estimated after a short re-warmup."""
    tmp = path + ".tmp"
    weights = {k: v.detach().to(torch.float16).cpu() for k, v in model.state_dict().items()}
    if model.cfg.tie_word_embeddings and "lm_head.weight" in weights:
        weights["lm_head.weight"] = weights["embed_tokens.weight"]  # one tensor: stored once
    torch.save({"model": weights, "state": state, "config": model.cfg.to_dict()}, tmp)
    os.replace(tmp, path)


def read(path):
    """The checkpoint's dict. Its training state is plain Python data, which torch >= 2.6 refuses
    to unpickle unless asked (weights_only=False); these files are the project's own."""
    return torch.load(path, map_location="cpu", weights_only=False)


def load_model(path, device="cpu"):
    """Load any checkpoint (full or fp16) as an fp32 model, with its saved training state."""
    ckpt = read(path)
    model = GPT(GPTConfig(**ckpt["config"]))
    model.load_state_dict({k: v.float() for k, v in ckpt["model"].items()})
    return model.to(device), ckpt
