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
    torch.save({"model": weights, "state": state, "config": model.cfg.to_dict()}, tmp)
    os.replace(tmp, path)


def load_model(path, device="cpu"):
    """Load any checkpoint (full or fp16) as an fp32 model, with its saved training state."""
    ckpt = torch.load(path, map_location="cpu")
    model = GPT(GPTConfig(**ckpt["config"]))
    model.load_state_dict({k: v.float() for k, v in ckpt["model"].items()})
    return model.to(device), ckpt
