"""A small Llama in PyTorch, laid out so that llama.cpp's `llama` architecture runs it unchanged.

RMSNorm, RoPE on adjacent pairs (x[2i], x[2i+1]) -- llama.cpp's normal rope mode, so Q/K need no
permutation on export --, SwiGLU feed-forward, optional grouped-query attention, tied embeddings.
Generation keeps a KV cache and supports left-padded batches (per-row positions).
"""
import math
from dataclasses import dataclass, asdict

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Config:
    vocab_size: int
    dim: int = 128
    n_layers: int = 4
    n_heads: int = 4
    n_kv_heads: int = 4
    ffn_dim: int = 344
    context_length: int = 256
    rope_base: float = 10000.0
    norm_eps: float = 1e-5

    def to_dict(self):
        return asdict(self)


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope_tables(cfg, positions):
    """cos/sin for integer positions of shape [B, T] -> [B, 1, T, head_dim/2]."""
    hd = cfg.dim // cfg.n_heads
    inv = cfg.rope_base ** (-torch.arange(0, hd, 2, dtype=torch.float32) / hd)
    ang = positions.to(torch.float32)[..., None] * inv
    return torch.cos(ang)[:, None], torch.sin(ang)[:, None]


def apply_rope(x, cos, sin):
    x0, x1 = x[..., 0::2], x[..., 1::2]
    return torch.stack((x0 * cos - x1 * sin, x0 * sin + x1 * cos), dim=-1).flatten(-2)


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        hd = cfg.dim // cfg.n_heads
        self.attn_norm = RMSNorm(cfg.dim, cfg.norm_eps)
        self.wq = nn.Linear(cfg.dim, cfg.n_heads * hd, bias=False)
        self.wk = nn.Linear(cfg.dim, cfg.n_kv_heads * hd, bias=False)
        self.wv = nn.Linear(cfg.dim, cfg.n_kv_heads * hd, bias=False)
        self.wo = nn.Linear(cfg.n_heads * hd, cfg.dim, bias=False)
        self.ffn_norm = RMSNorm(cfg.dim, cfg.norm_eps)
        self.w_gate = nn.Linear(cfg.dim, cfg.ffn_dim, bias=False)
        self.w_up = nn.Linear(cfg.dim, cfg.ffn_dim, bias=False)
        self.w_down = nn.Linear(cfg.ffn_dim, cfg.dim, bias=False)

    def forward(self, x, cos, sin, mask, cache=None):
        cfg = self.cfg
        B, T, _ = x.shape
        hd = cfg.dim // cfg.n_heads
        h = self.attn_norm(x)
        q = self.wq(h).view(B, T, cfg.n_heads, hd).transpose(1, 2)
        k = self.wk(h).view(B, T, cfg.n_kv_heads, hd).transpose(1, 2)
        v = self.wv(h).view(B, T, cfg.n_kv_heads, hd).transpose(1, 2)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        if cache is not None:
            if cache.get("k") is not None:
                k = torch.cat((cache["k"], k), dim=2)
                v = torch.cat((cache["v"], v), dim=2)
            cache["k"], cache["v"] = k, v
        if cfg.n_kv_heads != cfg.n_heads:
            rep = cfg.n_heads // cfg.n_kv_heads
            k = k.repeat_interleave(rep, dim=1)
            v = v.repeat_interleave(rep, dim=1)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))
        att = att.masked_fill(~mask, -1e9).softmax(-1)  # finite: fully masked pad rows stay NaN-free
        y = (att @ v).transpose(1, 2).reshape(B, T, cfg.n_heads * hd)
        x = x + self.wo(y)
        h = self.ffn_norm(x)
        return x + self.w_down(F.silu(self.w_gate(h)) * self.w_up(h))


class Llama(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.tok_emb = nn.Embedding(cfg.vocab_size, cfg.dim)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layers))
        self.norm = RMSNorm(cfg.dim, cfg.norm_eps)
        self.apply(self._init)
        for b in self.blocks:  # scaled init of residual projections
            nn.init.normal_(b.wo.weight, std=0.02 / math.sqrt(2 * cfg.n_layers))
            nn.init.normal_(b.w_down.weight, std=0.02 / math.sqrt(2 * cfg.n_layers))

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)

    def n_params(self):
        return sum(p.numel() for p in self.parameters())

    def forward(self, idx, positions=None, key_mask=None, caches=None):
        """idx [B,T]; positions [B,T] (default 0..T-1); key_mask [B,S] of valid keys (S = cached + T)."""
        B, T = idx.shape
        past = 0 if not caches or caches[0].get("k") is None else caches[0]["k"].shape[2]
        if positions is None:
            positions = torch.arange(past, past + T).expand(B, T)
        cos, sin = rope_tables(self.cfg, positions)
        S = past + T
        causal = torch.ones(T, S, dtype=torch.bool).tril(diagonal=past)
        mask = causal[None, None]
        if key_mask is not None:
            mask = mask & key_mask[:, None, None, :]
        x = self.tok_emb(idx)
        for i, blk in enumerate(self.blocks):
            x = blk(x, cos, sin, mask, None if caches is None else caches[i])
        return self.norm(x) @ self.tok_emb.weight.t()

    @torch.no_grad()
    def generate(self, prompts, max_new, eos_id, stop_ids=(), pad_id=0, temperature=0.0, generator=None):
        """Continuation of a batch of token-id lists: greedy, or sampled at `temperature` > 0 from
        `generator` (a torch.Generator). `max_new` is one limit or one per row.

        Returns a list of (new_ids, reason) with reason 'eos' (eos included in new_ids), 'stop'
        (the stop token included) or 'length'. Rows stop independently.
        """
        B = len(prompts)
        if B == 0:
            return []
        limits = list(max_new) if isinstance(max_new, (list, tuple)) else [max_new] * B
        limits = [min(n, self.cfg.context_length - len(p)) for n, p in zip(limits, prompts)]
        max_new = max(limits)
        L = max(len(p) for p in prompts)
        pad = torch.tensor([L - len(p) for p in prompts])
        idx = torch.tensor([[pad_id] * (L - len(p)) + list(p) for p in prompts])
        key_mask = torch.arange(L)[None, :] >= pad[:, None]
        positions = (torch.arange(L)[None, :] - pad[:, None]).clamp(min=0)
        caches = [dict() for _ in self.blocks]
        outs, reasons = [[] for _ in range(B)], [None] * B
        if max_new <= 0:
            return [([], "length") for _ in range(B)]
        logits = self.forward(idx, positions, key_mask, caches)[:, -1]
        stops = set(stop_ids)
        for b in range(B):
            if limits[b] <= 0:
                reasons[b] = "length"
        for step in range(max_new):
            if temperature > 0:
                nxt = torch.multinomial((logits / temperature).softmax(-1), 1, generator=generator)[:, 0]
            else:
                nxt = logits.argmax(-1)
            nxt_list = nxt.tolist()
            for b in range(B):
                if reasons[b] is None:
                    t = nxt_list[b]
                    outs[b].append(t)
                    if t == eos_id:
                        reasons[b] = "eos"
                    elif t in stops:
                        reasons[b] = "stop"
                    elif len(outs[b]) >= limits[b]:
                        reasons[b] = "length"
            if all(r is not None for r in reasons) or step == max_new - 1:
                break
            cur = L + step
            key_mask = torch.cat((key_mask, torch.ones(B, 1, dtype=torch.bool)), dim=1)
            positions = (cur - pad)[:, None]
            logits = self.forward(nxt[:, None], positions, key_mask, caches)[:, -1]
        return [(o, r or "length") for o, r in zip(outs, reasons)]
