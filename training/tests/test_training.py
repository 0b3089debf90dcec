import hashlib
import os
import tempfile
import unittest

import torch

from training import tasks
from training.export import export_gguf
from training.model import Config, Llama
from training.tokenizer import TOKENIZER, prompt_ids
from training.train import batches_of, collate, plain_example, setup_torch, sft_example, train


def run(seed, steps, path=None):
    setup_torch(1)
    torch.manual_seed(seed)
    model = Llama(Config(TOKENIZER.vocab_size, dim=32, n_layers=2, n_heads=2, n_kv_heads=1, ffn_dim=64,
                         context_length=256))
    stream = (plain_example(p) for p in tasks.training_stream(seed, set()))
    info = train(model, batches_of(stream, 8), steps, 3e-3, warmup=5)
    if path:
        export_gguf(model, path, "smoke")
    return model, info


class TrainingTest(unittest.TestCase):
    def test_prompt_is_out_of_the_loss_and_eos_in_it(self):
        p = {"question": "Q?", "answer": "1+1=2\n#### 2"}
        ids, mask = plain_example(p)
        n = len(prompt_ids("Q?"))
        self.assertEqual(ids[0], TOKENIZER.bos_id)
        self.assertEqual(ids[-1], TOKENIZER.eos_id)
        self.assertEqual(mask, [0] * n + [1] * (len(ids) - n))
        _, m2 = sft_example("Q?", [("a", True), ("b", False)])
        self.assertEqual(m2[-2:], [0, 0])
        x, y, m = collate([(ids, mask), ([1, 2, 3], [0, 1, 1])], TOKENIZER.pad_id)
        self.assertEqual(x.shape, (2, len(ids) - 1))
        self.assertEqual(m[1].tolist()[:2], [1.0, 1.0])
        self.assertEqual(m[1].sum().item(), 2.0)

    def test_few_steps_reduce_the_loss(self):
        _, info = run(0, 40)
        self.assertLess(info["final_loss"], info["first_loss"] - 1.0)

    def test_same_seed_gives_identical_gguf_bytes(self):
        d = tempfile.mkdtemp()
        digests = []
        for name in ("a", "b"):
            path = os.path.join(d, name + ".gguf")
            run(5, 3, path)
            with open(path, "rb") as f:
                digests.append(hashlib.sha256(f.read()).hexdigest())
        self.assertEqual(digests[0], digests[1])

    def test_cached_batched_generation_equals_full_recomputation(self):
        torch.manual_seed(3)
        m = Llama(Config(TOKENIZER.vocab_size, dim=32, n_layers=2, n_heads=4, n_kv_heads=2, ffn_dim=48))
        with torch.no_grad():
            for p in m.parameters():
                p.add_(torch.randn_like(p) * 0.5)
        m.eval()
        prompts = [[1, 5, 6, 7, 8, 9, 10], [1, 9], [3, 4, 5]]
        out = m.generate(prompts, 6, eos_id=-1)
        for pr, (o, reason) in zip(prompts, out):
            s = list(pr)
            with torch.no_grad():
                for _ in range(6):
                    s.append(int(m(torch.tensor([s]))[0, -1].argmax()))
            self.assertEqual(o, s[len(pr):])
            self.assertEqual(reason, "length")


if __name__ == "__main__":
    unittest.main()
