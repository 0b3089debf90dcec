"""Stage 2 of RelayLLM at toy scale: GRPO with the teacher in the loop.

Each step takes a few problems, samples a group of relay answers per problem (the student samples at
temperature 1, the teacher writes greedily whatever the student's `<call>N</call>` asks for, with the
relay semantics of DESIGN section 2 and N capped at `max_call_tokens` and the remaining budget),
grades them, scores each group with `training.reward` and takes one policy-gradient step:

    loss = mean over student-written tokens of  -A * log p(token)  +  beta * KL(policy || reference)

A is the group-standardised reward (GRPO), the KL uses the k3 estimator against the frozen stage-1
student. Teacher-written tokens are in the student's context but out of the loss (the released code
trained on them as if the student had written them); the student's commands are in it.
One update per batch of rollouts, so the policy ratio is 1 and no clipping is needed.
"""
import json
import random
import time

import torch
import torch.nn.functional as F

from . import reward as rw
from .relay import STUDENT, relay_rollouts
from .tokenizer import TOKENIZER, prompt_ids
from .train import accuracy, collate, is_correct


def token_logprobs(model, x, y):
    logits = model(x)
    return torch.gather(F.log_softmax(logits, dim=-1), 2, y[..., None])[..., 0]


def grpo_loss(policy, reference, prompts, rollouts, advantages, beta, tok=TOKENIZER):
    """Token-mean policy-gradient loss with a k3 KL penalty, teacher tokens masked out."""
    examples = []
    for p, r in zip(prompts, rollouts):
        mask = [0] * len(p) + [1 if k == STUDENT else 0 for k in r["kinds"]]
        examples.append((p + r["ids"], mask))
    x, y, m = collate(examples, tok.pad_id)
    logp = token_logprobs(policy, x, y)
    with torch.no_grad():
        ref = token_logprobs(reference, x, y)
    adv = torch.tensor(advantages, dtype=torch.float32)[:, None]
    d = ref - logp
    kl = torch.exp(d) - d - 1
    per_token = -adv * logp + beta * kl
    denom = m.sum().clamp(min=1)
    return (per_token * m).sum() / denom, (kl * m).sum().item() / denom.item()


def problem_stream(pool, seed):
    rng = random.Random("grpo-order-%d" % seed)
    while True:
        order = list(range(len(pool)))
        rng.shuffle(order)
        for i in order:
            yield pool[i]


@torch.no_grad()
def evaluate(student, teacher, problems, batch=100, with_texts=False, **relay_kw):
    """Greedy relay on `problems`: accuracy, well-formed share, teacher token share, rounds per problem
    (and the answers' texts with `with_texts`)."""
    texts, st, tt, rounds = [], 0, 0, 0
    for i in range(0, len(problems), batch):
        chunk = problems[i:i + batch]
        rs = relay_rollouts(student, teacher, [prompt_ids(p["question"]) for p in chunk], temperature=0.0, **relay_kw)
        for r in rs:
            texts.append(r["text"]); st += r["student_tokens"]; tt += r["teacher_tokens"]; rounds += r["rounds"]
    acc, formed = accuracy(texts, problems)
    res = {"accuracy": acc, "well_formed": formed,
           "teacher_token_share": tt / max(1, st + tt), "rounds_per_problem": rounds / len(problems),
           "student_tokens": st, "teacher_tokens": tt}
    return (res, texts) if with_texts else res


def train_grpo(policy, reference, teacher, pool, steps, seed, variant="difficulty-aware", group=8,
               problems_per_step=4, lr=2e-4, beta=0.04, temperature=1.0, log=print, eval_problems=None,
               eval_every=0, on_eval=None, relay_kw=None):
    """Runs `steps` GRPO steps on `policy` (changed in place). Deterministic for a seed and one thread."""
    relay_kw = dict(relay_kw or {})
    reward_fn = rw.REWARDS[variant]
    gen = torch.Generator().manual_seed(seed)
    stream = problem_stream(pool, seed)
    opt = torch.optim.AdamW(policy.parameters(), lr=lr, betas=(0.9, 0.99), weight_decay=0.0)
    reference.eval()
    for p in reference.parameters():
        p.requires_grad_(False)
    history, t0 = [], time.time()
    for step in range(steps):
        problems = [next(stream) for _ in range(problems_per_step)]
        prompts = [prompt_ids(p["question"]) for p in problems for _ in range(group)]
        policy.eval()
        rollouts = relay_rollouts(policy, teacher, prompts, temperature=temperature, generator=gen, **relay_kw)
        policy.train()
        rewards, advantages, levels, samples_all = [], [], [], []
        for k, p in enumerate(problems):
            rs = rollouts[k * group:(k + 1) * group]
            samples = [rw.Sample(is_correct(r["text"], p), r["student_tokens"], r["teacher_tokens"], r["rounds"])
                       for r in rs]
            rr = reward_fn(samples)
            rewards += rr
            advantages += rw.group_advantages(rr)
            levels.append(rw.difficulty(samples))
            samples_all += samples
        if any(a != 0 for a in advantages):
            loss, kl = grpo_loss(policy, reference, prompts, rollouts, advantages, beta)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(policy.parameters(), 1.0)
            opt.step()
            loss_v = loss.item()
        else:
            loss_v, kl = 0.0, 0.0
        st = sum(s.student_tokens for s in samples_all)
        tt = sum(s.teacher_tokens for s in samples_all)
        rec = {"step": step + 1, "reward": sum(rewards) / len(rewards),
               "accuracy": sum(s.correct for s in samples_all) / len(samples_all),
               "teacher_share": tt / max(1, st + tt), "kl": kl, "loss": loss_v,
               "levels": {lv: levels.count(lv) for lv in set(levels)}}
        history.append(rec)
        if step % 10 == 0 or step == steps - 1:
            recent = history[-10:]
            log("grpo step %d/%d reward %.3f acc %.3f teacher share %.3f kl %.4f (%.0fs) %s" % (
                step + 1, steps, sum(h["reward"] for h in recent) / len(recent),
                sum(h["accuracy"] for h in recent) / len(recent),
                sum(h["teacher_share"] for h in recent) / len(recent), kl, time.time() - t0,
                json.dumps(rec["levels"], sort_keys=True)))
        if eval_problems and eval_every and (step + 1) % eval_every == 0:
            policy.eval()
            res = evaluate(policy, teacher, eval_problems, **relay_kw)
            policy.train()
            log("grpo eval at step %d: %s" % (step + 1, res))
            if on_eval:
                on_eval(policy, step + 1, res)
    return history
