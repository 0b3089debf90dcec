"""Export a trained `Llama` with our tokenizer to a GGUF file llama.cpp's `llama` architecture loads."""
import numpy as np

from . import gguf
from .tokenizer import TOKENIZER


def model_metadata(cfg, name, tok=TOKENIZER, f16=False):
    m = {}
    m["general.architecture"] = gguf.string("llama")
    m["general.name"] = gguf.string(name)
    m["general.file_type"] = gguf.u32(1 if f16 else 0)
    m["general.alignment"] = gguf.u32(gguf.ALIGNMENT)
    m["llama.vocab_size"] = gguf.u32(cfg.vocab_size)
    m["llama.context_length"] = gguf.u32(cfg.context_length)
    m["llama.embedding_length"] = gguf.u32(cfg.dim)
    m["llama.block_count"] = gguf.u32(cfg.n_layers)
    m["llama.feed_forward_length"] = gguf.u32(cfg.ffn_dim)
    m["llama.attention.head_count"] = gguf.u32(cfg.n_heads)
    m["llama.attention.head_count_kv"] = gguf.u32(cfg.n_kv_heads)
    m["llama.rope.dimension_count"] = gguf.u32(cfg.dim // cfg.n_heads)
    m["llama.rope.freq_base"] = gguf.f32(cfg.rope_base)
    m["llama.attention.layer_norm_rms_epsilon"] = gguf.f32(cfg.norm_eps)
    m["tokenizer.ggml.model"] = gguf.string("llama")
    m["tokenizer.ggml.tokens"] = gguf.array(gguf.STRING, tok.pieces)
    m["tokenizer.ggml.scores"] = gguf.array(gguf.FLOAT32, [0.0] * tok.vocab_size)
    m["tokenizer.ggml.token_type"] = gguf.array(gguf.INT32, tok.types)
    m["tokenizer.ggml.bos_token_id"] = gguf.u32(tok.bos_id)
    m["tokenizer.ggml.eos_token_id"] = gguf.u32(tok.eos_id)
    m["tokenizer.ggml.unknown_token_id"] = gguf.u32(tok.unk_id)
    m["tokenizer.ggml.padding_token_id"] = gguf.u32(tok.pad_id)
    m["tokenizer.ggml.add_bos_token"] = gguf.boolean(True)
    m["tokenizer.ggml.add_eos_token"] = gguf.boolean(False)
    m["tokenizer.ggml.add_space_prefix"] = gguf.boolean(False)
    return m


def model_tensors(model, f16=False):
    wt = gguf.GGML_F16 if f16 else gguf.GGML_F32
    sd = {k: v.detach().cpu().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    out = [("token_embd.weight", sd["tok_emb.weight"], wt)]
    names = [("attn_norm", "attn_norm.weight", gguf.GGML_F32), ("attn_q", "wq.weight", wt),
             ("attn_k", "wk.weight", wt), ("attn_v", "wv.weight", wt), ("attn_output", "wo.weight", wt),
             ("ffn_norm", "ffn_norm.weight", gguf.GGML_F32), ("ffn_gate", "w_gate.weight", wt),
             ("ffn_up", "w_up.weight", wt), ("ffn_down", "w_down.weight", wt)]
    for i in range(model.cfg.n_layers):
        for gname, tname, t in names:
            out.append(("blk.%d.%s.weight" % (i, gname), sd["blocks.%d.%s" % (i, tname)], t))
    out.append(("output_norm.weight", sd["norm.weight"], gguf.GGML_F32))
    return out


def export_gguf(model, path, name, f16=False):
    gguf.write_gguf(path, model_metadata(model.cfg, name, f16=f16), model_tensors(model, f16=f16))


def load_gguf_model(path):
    """Rebuild a `Llama` from one of our GGUF files (exact for F32 files)."""
    import torch
    from .gguf import read_gguf
    from .model import Config, Llama
    _, meta, t = read_gguf(path)
    cfg = Config(vocab_size=meta["llama.vocab_size"], dim=meta["llama.embedding_length"],
                 n_layers=meta["llama.block_count"], n_heads=meta["llama.attention.head_count"],
                 n_kv_heads=meta["llama.attention.head_count_kv"], ffn_dim=meta["llama.feed_forward_length"],
                 context_length=meta["llama.context_length"], rope_base=meta["llama.rope.freq_base"],
                 norm_eps=meta["llama.attention.layer_norm_rms_epsilon"])
    model = Llama(cfg)
    sd = {"tok_emb.weight": t["token_embd.weight"], "norm.weight": t["output_norm.weight"]}
    names = {"attn_norm": "attn_norm.weight", "attn_q": "wq.weight", "attn_k": "wk.weight", "attn_v": "wv.weight",
             "attn_output": "wo.weight", "ffn_norm": "ffn_norm.weight", "ffn_gate": "w_gate.weight",
             "ffn_up": "w_up.weight", "ffn_down": "w_down.weight"}
    for i in range(cfg.n_layers):
        for g, n in names.items():
            sd["blocks.%d.%s" % (i, n)] = t["blk.%d.%s.weight" % (i, g)]
    model.load_state_dict({k: torch.tensor(v.astype("float32")) for k, v in sd.items()})
    return model.eval()
