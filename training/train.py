"""Supervised training of the tiny models on (prompt, answer) token sequences with a loss mask."""
import math
import time

import torch
import torch.nn.functional as F

from .tasks import final_answer
from .tokenizer import TOKENIZER, prompt_ids


def setup_torch(threads):
    torch.set_num_threads(threads)
    torch.set_flush_denormal(True)


def append_segments(ids, mask, segments, tok=TOKENIZER):
    """Appends (text, in_loss) segments to ids and mask, in place."""
    for text, in_loss in segments:
        t = tok.encode(text)
        ids += t
        mask += [1 if in_loss else 0] * len(t)
    return ids, mask


def sft_example(question, segments, tok=TOKENIZER):
    """segments: list of (text, in_loss). Returns (ids, mask) with the prompt out of the loss and
    the answer followed by EOS; EOS is in the loss when the last segment is."""
    ids = prompt_ids(question, tok)
    ids, mask = append_segments(ids, [0] * len(ids), segments, tok)
    ids.append(tok.eos_id)
    mask.append(1 if (not segments or segments[-1][1]) else 0)
    return ids, mask


def drill_example(segments, tok=TOKENIZER):
    """BOS + the drill's segments, no chat turns; the loss only where a segment says so."""
    return append_segments([tok.bos_id], [0], segments, tok)


def plain_example(problem, tok=TOKENIZER):
    return sft_example(problem["question"], [(problem["answer"], True)], tok)


def collate(examples, pad_id):
    T = max(len(ids) for ids, _ in examples) - 1
    x = torch.full((len(examples), T), pad_id, dtype=torch.long)
    y = torch.full((len(examples), T), pad_id, dtype=torch.long)
    m = torch.zeros((len(examples), T))
    for i, (ids, mask) in enumerate(examples):
        n = len(ids) - 1
        x[i, :n] = torch.tensor(ids[:-1])
        y[i, :n] = torch.tensor(ids[1:])
        m[i, :n] = torch.tensor(mask[1:], dtype=torch.float32)
    return x, y, m


def lr_at(step, steps, lr, warmup, schedule="cosine"):
    """Linear warmup, then cosine decay to 10% ("cosine") or a constant rate ("constant": a run of
    K steps is then exactly the first K steps of any longer run)."""
    if step < warmup:
        return lr * (step + 1) / warmup
    if schedule == "constant":
        return lr
    p = (step - warmup) / max(1, steps - warmup)
    return lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * p)))


@torch.no_grad()
def greedy_answers(model, questions, batch=64, max_new=256, tok=TOKENIZER):
    """Greedy answers (text, without EOS) for a list of questions."""
    model.eval()
    out = []
    for i in range(0, len(questions), batch):
        qs = questions[i:i + batch]
        res = model.generate([prompt_ids(q, tok) for q in qs], max_new, eos_id=tok.eos_id, pad_id=tok.pad_id)
        for ids, _ in res:
            out.append(tok.decode([t for t in ids if t != tok.eos_id]))
    model.train()
    return out


def is_correct(text, problem):
    """Whether an answer's `####` value is the reference's."""
    got = final_answer(text)
    return got is not None and got == final_answer(problem["answer"])


def accuracy(answers, problems):
    """(exact answers, well-formed answers) as shares of the problems."""
    correct = sum(is_correct(a, p) for a, p in zip(answers, problems))
    formed = sum(final_answer(a) is not None for a in answers)
    return correct / len(problems), formed / len(problems)


def train(model, batches, steps, lr, warmup=50, weight_decay=0.01, log=None, eval_fn=None, eval_every=0,
          ckpt_path=None, tok=TOKENIZER, schedule="cosine", on_eval=None):
    """batches: iterator of lists of (ids, mask). Deterministic given the seed set before."""
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=lr, betas=(0.9, 0.98), eps=1e-8)
    model.train()
    t0, tokens, run_loss, first_loss = time.time(), 0, None, None
    for step in range(steps):
        for g in opt.param_groups:
            g["lr"] = lr_at(step, steps, lr, warmup, schedule)
        x, y, m = collate(next(batches), tok.pad_id)
        logits = model(x)
        loss = (F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="none")
                * m.reshape(-1)).sum() / m.sum().clamp(min=1)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        tokens += x.numel()
        first_loss = loss.item() if first_loss is None else first_loss
        run_loss = loss.item() if run_loss is None else 0.95 * run_loss + 0.05 * loss.item()
        if log and (step % 50 == 0 or step == steps - 1):
            el = time.time() - t0
            log("step %d/%d loss %.4f lr %.2e tok/s %.0f elapsed %.0fs" % (
                step, steps, run_loss, opt.param_groups[0]["lr"], tokens / max(el, 1e-9), el))
        if eval_fn and eval_every and (step + 1) % eval_every == 0 and step + 1 < steps:
            if log:
                log("eval at step %d: %s" % (step + 1, eval_fn(model)))
            if ckpt_path:
                torch.save({"model": model.state_dict(), "step": step + 1}, ckpt_path)
            if on_eval:
                on_eval(model, step + 1)
    return {"steps": steps, "tokens": tokens, "seconds": time.time() - t0, "first_loss": first_loss,
            "final_loss": run_loss}


def batches_of(example_iter, batch_size, extra_iter=None, extra_per_batch=0):
    """Batches of `batch_size` examples, plus `extra_per_batch` from `extra_iter` when given."""
    while True:
        yield [next(example_iter) for _ in range(batch_size)] + [next(extra_iter) for _ in range(extra_per_batch)]
