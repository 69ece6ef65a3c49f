"""A decoder-only Transformer in the Llama style (GPT with RMSNorm, rotary positions, SwiGLU, GQA).

Parameter names and the rotary convention follow Hugging Face's LlamaForCausalLM, so the
exported config.json describes exactly this network.
"""
import json
import math
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class GPTConfig:
    vocab_size: int = 8192
    hidden_size: int = 256
    num_hidden_layers: int = 8
    num_attention_heads: int = 4
    num_key_value_heads: int = 2
    intermediate_size: int = 688
    max_position_embeddings: int = 2048
    rope_theta: float = 10000.0
    rms_norm_eps: float = 1e-5
    tie_word_embeddings: bool = True

    @property
    def head_dim(self):
        return self.hidden_size // self.num_attention_heads

    @classmethod
    def load(cls, path):
        with open(path) as f:
            return cls(**{k: v for k, v in json.load(f).items() if not k.startswith("_")})

    def to_dict(self):
        return asdict(self)


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotary_cos_sin(position_ids, head_dim, theta):
    """cos/sin of shape [batch, 1, seq, head_dim] for the given absolute positions."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32, device=position_ids.device) / head_dim))
    freqs = position_ids.float().unsqueeze(-1) * inv_freq
    emb = torch.cat((freqs, freqs), dim=-1).unsqueeze(1)
    return emb.cos(), emb.sin()


# Fused attention (flash / memory-efficient kernels on CUDA) where torch has it (>= 2.0); Debian's
# torch 1.13 does not, and every path then uses the masked matmul below. Only the training loss
# uses it (no KV cache, causal mask): the export and the KV-cache forward keep the masked matmul,
# whose graph onnxruntime-web runs. `use_fused` lets a test or a caller switch it off.
sdpa = getattr(F, "scaled_dot_product_attention", None)
use_fused = True


def fused_available():
    return sdpa is not None and use_fused


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.n_heads = cfg.num_attention_heads
        self.n_kv = cfg.num_key_value_heads
        self.head_dim = cfg.head_dim
        self.q_proj = nn.Linear(cfg.hidden_size, self.n_heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(cfg.hidden_size, self.n_kv * self.head_dim, bias=False)
        self.v_proj = nn.Linear(cfg.hidden_size, self.n_kv * self.head_dim, bias=False)
        self.o_proj = nn.Linear(self.n_heads * self.head_dim, cfg.hidden_size, bias=False)

    def forward(self, x, cos, sin, mask, past=None):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.n_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.n_kv, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.n_kv, self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if past is not None:
            k = torch.cat((past[0], k), dim=2)
            v = torch.cat((past[1], v), dim=2)
        present = (k, v)
        groups = self.n_heads // self.n_kv
        if groups > 1:
            s = k.shape[2]
            k = k.unsqueeze(2).expand(b, self.n_kv, groups, s, self.head_dim).reshape(b, self.n_heads, s, self.head_dim)
            v = v.unsqueeze(2).expand(b, self.n_kv, groups, s, self.head_dim).reshape(b, self.n_heads, s, self.head_dim)
        if mask is None:  # causal, no cache: the caller checked fused_available()
            out = sdpa(q, k, v, is_causal=True)
            return self.o_proj(out.transpose(1, 2).reshape(b, t, self.n_heads * self.head_dim)), present
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        scores = scores + mask
        out = torch.matmul(torch.softmax(scores.float(), dim=-1).to(v.dtype), v)
        out = out.transpose(1, 2).reshape(b, t, self.n_heads * self.head_dim)
        return self.o_proj(out), present


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.gate_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.up_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.down_proj = nn.Linear(cfg.intermediate_size, cfg.hidden_size, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.mlp = MLP(cfg)

    def forward(self, x, cos, sin, mask, past=None):
        a, present = self.self_attn(self.input_layernorm(x), cos, sin, mask, past)
        x = x + a
        x = x + self.mlp(self.post_attention_layernorm(x))
        return x, present


def causal_mask(seq_len, past_len, attention_mask, dtype):
    """Additive mask [batch, 1, seq, past+seq]: a query sees earlier keys the attention_mask keeps."""
    total = past_len + seq_len
    q_pos = torch.arange(seq_len, device=attention_mask.device) + past_len
    k_pos = torch.arange(total, device=attention_mask.device)
    allowed = (k_pos.unsqueeze(0) <= q_pos.unsqueeze(1)).unsqueeze(0).unsqueeze(0)
    allowed = allowed & attention_mask.bool().unsqueeze(1).unsqueeze(1)
    neg = torch.tensor(torch.finfo(dtype).min, dtype=dtype, device=attention_mask.device)
    zero = torch.tensor(0.0, dtype=dtype, device=attention_mask.device)
    return torch.where(allowed, zero, neg)


class GPT(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.cfg = cfg
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList([Block(cfg) for _ in range(cfg.num_hidden_layers)])
        self.norm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)
        if cfg.tie_word_embeddings:
            self.lm_head.weight = self.embed_tokens.weight
        self.apply(self._init)
        # GPT-2's scaled init of the residual projections keeps the residual stream's variance flat.
        for name, p in self.named_parameters():
            if name.endswith("o_proj.weight") or name.endswith("down_proj.weight"):
                nn.init.normal_(p, std=0.02 / math.sqrt(2 * cfg.num_hidden_layers))

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)

    def num_params(self):
        return sum(p.numel() for p in self.parameters())

    def forward(self, input_ids, attention_mask=None, position_ids=None, past_key_values=None, last_logits_only=False):
        b, t = input_ids.shape
        past_len = 0 if past_key_values is None else past_key_values[0][0].shape[2]
        if attention_mask is None:
            attention_mask = torch.ones(b, past_len + t, dtype=torch.long, device=input_ids.device)
        if position_ids is None:
            position_ids = torch.arange(past_len, past_len + t, device=input_ids.device).unsqueeze(0).expand(b, t)
        x = self.embed_tokens(input_ids)
        cos, sin = rotary_cos_sin(position_ids, self.cfg.head_dim, self.cfg.rope_theta)
        cos, sin = cos.to(x.dtype), sin.to(x.dtype)
        mask = causal_mask(t, past_len, attention_mask, x.dtype)
        presents = []
        for i, layer in enumerate(self.layers):
            x, present = layer(x, cos, sin, mask, None if past_key_values is None else past_key_values[i])
            presents.append(present)
        x = self.norm(x)
        if last_logits_only:
            x = x[:, -1:, :]
        return self.lm_head(x), presents

    def loss(self, input_ids, targets):
        b, t = input_ids.shape
        x = self.embed_tokens(input_ids)
        pos = torch.arange(t, device=input_ids.device).unsqueeze(0)
        cos, sin = rotary_cos_sin(pos, self.cfg.head_dim, self.cfg.rope_theta)
        cos, sin = cos.to(x.dtype), sin.to(x.dtype)
        # None selects the fused causal kernel (same function as the masked matmul, fewer launches
        # and no [t, t] score tensor in memory); without it, the additive causal mask.
        mask = None if fused_available() else torch.full((t, t), float("-inf"), device=input_ids.device).triu(1).to(x.dtype)
        for layer in self.layers:
            x, _ = layer(x, cos, sin, mask)
        logits = self.lm_head(self.norm(x))
        return F.cross_entropy(logits.float().view(-1, logits.shape[-1]), targets.reshape(-1))
