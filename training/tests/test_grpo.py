import copy
import random
import unittest

import torch

from training import tasks
from training.grpo import grpo_loss, token_logprobs, train_grpo
from training.relay import STUDENT, TEACHER
from training.model import Config, Llama
from training.tokenizer import TOKENIZER as T, prompt_ids
from training.train import collate, setup_torch


def tiny(seed):
    torch.manual_seed(seed)
    return Llama(Config(T.vocab_size, dim=32, n_layers=2, n_heads=2, n_kv_heads=1, ffn_dim=64, context_length=320))


class LossTest(unittest.TestCase):
    def test_teacher_tokens_are_out_of_the_policy_loss(self):
        setup_torch(1)
        policy, reference = tiny(1), tiny(2)
        prompt = prompt_ids("q")
        ids = T.encode("12+3=15<|im_end|>", parse_special=True)
        kinds = [STUDENT] * 5 + [TEACHER] * 2 + [STUDENT]
        rollout = {"ids": ids, "kinds": kinds}
        loss, _ = grpo_loss(policy, reference, [prompt], [rollout], [1.0], beta=0.0)
        x, y, _ = collate([(prompt + ids, [0] * len(prompt + ids))], T.pad_id)
        logp = token_logprobs(policy, x, y)[0]
        start = len(prompt) - 1  # logits at position i predict token i + 1
        student_positions = [start + i for i, k in enumerate(kinds) if k == STUDENT]
        expected = -logp[student_positions].mean()
        self.assertAlmostEqual(loss.item(), expected.item(), places=5)
        all_positions = [start + i for i in range(len(kinds))]
        self.assertNotAlmostEqual(loss.item(), -logp[all_positions].mean().item(), places=3)

    def test_kl_is_zero_against_itself_and_positive_otherwise(self):
        setup_torch(1)
        policy = tiny(1)
        rollout = {"ids": T.encode("7*2=14"), "kinds": [STUDENT] * 6}
        _, kl_same = grpo_loss(policy, copy.deepcopy(policy), [prompt_ids("q")], [rollout], [0.0], beta=0.1)
        _, kl_other = grpo_loss(policy, tiny(3), [prompt_ids("q")], [rollout], [0.0], beta=0.1)
        self.assertAlmostEqual(kl_same, 0.0, places=6)
        self.assertGreater(kl_other, 0.0)


class GrpoSmokeTest(unittest.TestCase):
    def test_a_few_steps_run_the_real_relay_and_update_the_policy(self):
        setup_torch(1)
        policy, teacher = tiny(1), tiny(2)
        reference = copy.deepcopy(policy)
        rng = random.Random(0)
        pool = [tasks.make_problem(rng) for _ in range(6)]
        before = [p.detach().clone() for p in policy.parameters()]
        history = train_grpo(policy, reference, teacher, pool, steps=2, seed=0, group=4, problems_per_step=2,
                             log=lambda m: None, relay_kw={"max_tokens": 24})
        self.assertEqual(len(history), 2)
        self.assertTrue(all(-1.0 <= h["reward"] <= 1.5 for h in history))
        changed = any(not torch.equal(a, b) for a, b in zip(before, policy.parameters()))
        # an untrained student is never right: all rewards in a group tie unless some called the teacher
        self.assertEqual(changed, any(h["loss"] != 0.0 for h in history))


if __name__ == "__main__":
    unittest.main()
