import copy
import random
import unittest

import torch

from training import tasks
from training.grpo import STUDENT, TEACHER, grpo_loss, relay_rollouts, token_logprobs, train_grpo
from training.model import Config, Llama
from training.tokenizer import TOKENIZER as T, prompt_ids
from training.train import collate, setup_torch


class Scripted:
    """A fake model: each generate call pops the next scripted text per row (ignores its inputs)
    and applies the real stop / limit / EOS rules."""

    def __init__(self, texts):
        self.texts = list(texts)
        self.calls = []

    def generate(self, prompts, max_new, eos_id, stop_ids=(), pad_id=0, temperature=0.0, generator=None):
        limits = max_new if isinstance(max_new, list) else [max_new] * len(prompts)
        out = []
        for p, limit in zip(prompts, limits):
            self.calls.append((list(p), limit))
            ids = T.encode(self.texts.pop(0), parse_special=True)
            new, why = [], "length"
            for t in ids:
                if len(new) >= limit:
                    break
                new.append(t)
                if t == eos_id:
                    why = "eos"
                    break
                if t in stop_ids:
                    why = "stop"
                    break
            out.append((new, why))
        return out


def tiny(seed):
    torch.manual_seed(seed)
    return Llama(Config(T.vocab_size, dim=32, n_layers=2, n_heads=2, n_kv_heads=1, ffn_dim=64, context_length=320))


class RolloutTest(unittest.TestCase):
    def test_teacher_span_is_marked_capped_and_stripped_from_its_context(self):
        # given a student that asks for 99 tokens and a teacher that has more to say
        student = Scripted(["1+1=<call>99</call>", " ok<|im_end|>"])
        teacher = Scripted(["2" * 10])
        prompt = prompt_ids("q")
        # when the relay runs with a cap of 4 tokens per call
        r = relay_rollouts(student, teacher, [prompt], max_call_tokens=4)[0]
        # then the teacher wrote 4 tokens, saw the text without the command, and the kinds tell who wrote what
        self.assertEqual(teacher.calls[0], (prompt + T.encode("1+1="), 4))
        self.assertEqual(r["text"], "1+1=2222 ok")
        self.assertEqual(r["teacher_tokens"], 4)
        self.assertEqual(r["rounds"], 1)
        self.assertEqual(r["student_tokens"], len(T.encode("1+1=<call>99</call>", parse_special=True)) + 3)
        self.assertEqual([k for k in r["kinds"] if k == TEACHER], [TEACHER] * 4)
        self.assertEqual(len(r["kinds"]), len(r["ids"]))
        self.assertEqual(r["finish"], "eos")
        # and the student's second call continued from the transcript with the command kept
        self.assertEqual(student.calls[1][0], prompt + T.encode("1+1=<call>99</call>2222", parse_special=True))

    def test_teacher_eos_ends_the_answer_and_zero_calls_are_no_calls(self):
        student = Scripted(["a<call>0</call>", "b<call>3</call>"])
        teacher = Scripted(["c<|im_end|>"])
        r = relay_rollouts(student, teacher, [prompt_ids("q")])[0]
        self.assertEqual(r["text"], "abc")
        self.assertEqual(r["rounds"], 1)
        self.assertEqual(r["finish"], "eos")

    def test_budget_limits_student_and_teacher_together(self):
        student = Scripted(["ab<call>50</call>", "zzzzzzzzzzzzzzzzzzzz"])
        teacher = Scripted(["x" * 50])
        r = relay_rollouts(student, teacher, [prompt_ids("q")], max_tokens=12)[0]
        self.assertEqual(r["student_tokens"] + r["teacher_tokens"], 12)
        self.assertEqual(r["finish"], "length")


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
