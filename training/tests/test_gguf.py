import os
import tempfile
import unittest

import numpy as np
import torch

from training import gguf
from training.export import export_gguf, load_gguf_model
from training.model import Config, Llama
from training.tokenizer import TOKENIZER

MODELS = os.path.join(os.path.dirname(__file__), "..", "..", "models")
REQUIRED = ["general.architecture", "llama.vocab_size", "llama.context_length", "llama.embedding_length",
            "llama.block_count", "llama.feed_forward_length", "llama.attention.head_count",
            "llama.attention.head_count_kv", "llama.rope.dimension_count", "llama.rope.freq_base",
            "llama.attention.layer_norm_rms_epsilon", "tokenizer.ggml.model", "tokenizer.ggml.tokens",
            "tokenizer.ggml.scores", "tokenizer.ggml.token_type", "tokenizer.ggml.bos_token_id",
            "tokenizer.ggml.eos_token_id", "tokenizer.ggml.add_bos_token", "tokenizer.ggml.add_space_prefix"]


def tiny_model(seed=0):
    torch.manual_seed(seed)
    return Llama(Config(TOKENIZER.vocab_size, dim=32, n_layers=2, n_heads=4, n_kv_heads=2, ffn_dim=48,
                        context_length=64))


class GgufTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def test_write_and_read_back(self):
        m = tiny_model()
        path = os.path.join(self.dir, "m.gguf")
        export_gguf(m, path, "tiny")
        with open(path, "rb") as f:
            head = f.read(24)
        self.assertEqual(head[:4], b"GGUF")
        self.assertEqual(int.from_bytes(head[4:8], "little"), 3)
        self.assertEqual(int.from_bytes(head[8:16], "little"), 2 + 9 * 2)
        version, meta, tensors = gguf.read_gguf(path)
        self.assertEqual(version, 3)
        for k in REQUIRED:
            self.assertIn(k, meta)
        self.assertEqual(meta["general.architecture"], "llama")
        self.assertEqual(meta["llama.attention.head_count_kv"], 2)
        self.assertEqual(meta["llama.rope.dimension_count"], 8)
        self.assertEqual(meta["tokenizer.ggml.tokens"], TOKENIZER.pieces)
        self.assertEqual(meta["tokenizer.ggml.token_type"], TOKENIZER.types)
        self.assertEqual(set(meta["tokenizer.ggml.scores"]), {0.0})
        self.assertIs(meta["tokenizer.ggml.add_bos_token"], True)
        self.assertIs(meta["tokenizer.ggml.add_space_prefix"], False)
        self.assertEqual(meta["tokenizer.ggml.eos_token_id"], TOKENIZER.eos_id)
        self.assertNotIn("output.weight", tensors)  # tied embeddings
        self.assertEqual(tensors["token_embd.weight"].shape, (TOKENIZER.vocab_size, 32))
        self.assertEqual(tensors["blk.1.attn_k.weight"].shape, (16, 32))
        self.assertEqual(tensors["blk.0.ffn_down.weight"].shape, (32, 48))
        np.testing.assert_array_equal(tensors["blk.1.ffn_gate.weight"], m.blocks[1].w_gate.weight.detach().numpy())

    def test_dims_are_written_innermost_first_and_data_aligned(self):
        path = os.path.join(self.dir, "t.gguf")
        a = np.arange(6, dtype=np.float32).reshape(2, 3)
        gguf.write_gguf(path, {"x": gguf.u32(5)}, [("a", a, gguf.GGML_F32), ("b", a.T.copy(), gguf.GGML_F16)])
        with open(path, "rb") as f:
            buf = f.read()
        # key "x": u64 len, "x", u32 type, u32 value; then tensor "a": name, n_dims=2, ne0=3, ne1=2
        off = 24 + 8 + 1 + 4 + 4 + 8 + 1
        self.assertEqual(int.from_bytes(buf[off:off + 4], "little"), 2)
        self.assertEqual(int.from_bytes(buf[off + 4:off + 12], "little"), 3)
        self.assertEqual(int.from_bytes(buf[off + 12:off + 20], "little"), 2)
        _, meta, t = gguf.read_gguf(path)
        self.assertEqual(meta, {"x": 5})
        np.testing.assert_array_equal(t["a"], a)
        np.testing.assert_array_equal(t["b"], a.T.astype(np.float16))

    def test_reloaded_model_gives_identical_logits(self):
        m = tiny_model(1).eval()
        path = os.path.join(self.dir, "r.gguf")
        export_gguf(m, path, "tiny")
        r = load_gguf_model(path)
        x = torch.tensor([TOKENIZER.encode("12+34=46\n", add_bos=True)])
        with torch.no_grad():
            self.assertTrue(torch.equal(m(x), r(x)))

    def test_committed_models_are_small_llama_gguf(self):
        for name in ("tiny-teacher", "tiny-student", "tiny-relay-student"):
            path = os.path.join(MODELS, name + ".gguf")
            if not os.path.exists(path):
                self.fail("missing " + path)
            self.assertLessEqual(os.path.getsize(path), 20 * 1024 * 1024)
            _, meta, tensors = gguf.read_gguf(path)
            self.assertEqual(meta["tokenizer.ggml.tokens"], TOKENIZER.pieces)
            self.assertEqual(len(tensors), 2 + 9 * meta["llama.block_count"])


if __name__ == "__main__":
    unittest.main()
