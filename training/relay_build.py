"""Build stages for the relay student (cold-start SFT) and the final evaluation."""
import json
import os
import random
import time

import torch

from . import tasks
from .build import splits
from .export import export_gguf, load_gguf_model
from .relay import insert_commands, segments_to_example
from .tokenizer import TOKENIZER, prompt_ids
from .train import accuracy, batches_of, collate, greedy_answers, train

RELAY = dict(problems=1500, steps=300, batch=16, lr=1e-3, warmup=30)  # cosine decay to 10%
POOL = 240  # GRPO candidate problems, before the teacher-based filter
GRPO = dict(steps=40, group=8, problems_per_step=4, lr=2e-4, beta=0.04, temperature=1.0, eval_every=20)


@torch.no_grad()
def wrong_positions(model, prompts, refs, batch=64):
    """Per reference, the positions where the model's greedy next token, given the prompt and the
    reference so far, differs from the reference (one teacher-forced forward pass each)."""
    out = []
    for i in range(0, len(prompts), batch):
        seqs = [p + r for p, r in zip(prompts[i:i + batch], refs[i:i + batch])]
        x, y, _ = collate([(s, [1] * len(s)) for s in seqs], TOKENIZER.pad_id)
        pred = model(x).argmax(-1)
        for j, (p, r) in enumerate(zip(prompts[i:i + batch], refs[i:i + batch])):
            start = len(p) - 1  # the logits at position t predict token t + 1
            got = pred[j, start:start + len(r)].tolist()
            out.append([k for k, (g, want) in enumerate(zip(got, r)) if g != want])
    return out


def build_relay_data(student, problems):
    prompts = [prompt_ids(p["question"]) for p in problems]
    refs = [TOKENIZER.encode(p["answer"]) + [TOKENIZER.eos_id] for p in problems]
    wrong = wrong_positions(student, prompts, refs)
    segs = [insert_commands(r, w) for r, w in zip(refs, wrong)]
    examples = [segments_to_example(pr, s) for pr, s in zip(prompts, segs)]
    calls = [sum(1 for _, k in s if k == "command") for s in segs]
    teacher_tok = [sum(len(x) for x, k in s if k == "teacher") for s in segs]
    answer_tok = [sum(len(x) for x, k in s if k != "command") for s in segs]
    stats = {"problems": len(problems), "with_commands": sum(1 for c in calls if c) / len(problems),
             "commands_per_problem": sum(calls) / len(problems),
             "teacher_token_share_in_data": sum(teacher_tok) / sum(answer_tok)}
    return examples, segs, stats


def stage_relay(args, log):
    student = load_gguf_model(os.path.join(args.out, "tiny-student.gguf"))
    _, _, valid, taken = splits(args.seed)
    stream = tasks.training_stream(args.seed * 1000 + 3, taken)
    problems = [next(stream) for _ in range(RELAY["problems"] if not args.steps else 64)]
    t0 = time.time()
    with torch.no_grad():
        examples, segs, stats = build_relay_data(student, problems)
    log("relay SFT data built in %.0fs: %s" % (time.time() - t0, stats))
    with open(os.path.join(args.out, "data", "relay_sft_sample.jsonl"), "w", encoding="utf-8") as f:
        for p, s in list(zip(problems, segs))[:100]:
            f.write(json.dumps({"question": p["question"], "reference": p["answer"],
                                "segments": [{"kind": k, "text": TOKENIZER.decode(x, render_control=True)}
                                             for x, k in s]}) + "\n")
    rng = random.Random("relay-shuffle-%d" % args.seed)

    def example_stream():
        while True:
            order = list(range(len(examples)))
            rng.shuffle(order)
            for i in order:
                yield examples[i]

    torch.manual_seed(args.seed * 1000 + 4)
    student.train()
    steps = args.steps or RELAY["steps"]
    info = train(student, batches_of(example_stream(), RELAY["batch"]), steps, RELAY["lr"], RELAY["warmup"], log=log)
    info["data"] = stats
    path = os.path.join(args.out, "tiny-relay-student.gguf")
    export_gguf(student, path, "relay-tiny-relay-student")
    with open(os.path.join(args.work, "relay-train.json"), "w") as f:
        json.dump(info, f, indent=1)
    log("wrote %s (%d bytes); %s" % (path, os.path.getsize(path), info))


def stage_eval(args, log):
    heldout = tasks.read_jsonl(os.path.join(args.out, "data", "heldout.jsonl"))
    if args.limit:
        heldout = heldout[:args.limit]
    qs = [p["question"] for p in heldout]
    models = {n: load_gguf_model(os.path.join(args.out, "tiny-%s.gguf" % n))
              for n in ("teacher", "student", "relay-student")}
    res = {"heldout_problems": len(heldout)}
    for n in ("teacher", "student"):
        m = models[n]
        t0 = time.time()
        answers = greedy_answers(m, qs)
        acc, formed = accuracy(answers, heldout)
        res[n] = {"accuracy": acc, "well_formed": formed, "params": m.n_params(),
                  "gguf_bytes": os.path.getsize(os.path.join(args.out, "tiny-%s.gguf" % n))}
        log("%s: %s (%.0fs)" % (n, res[n], time.time() - t0))
    t0 = time.time()
    from .grpo import evaluate
    rel, texts = evaluate(models["relay-student"], models["teacher"], heldout, with_texts=True)
    gap = res["teacher"]["accuracy"] - res["student"]["accuracy"]
    rel["gap_recovered"] = (rel["accuracy"] - res["student"]["accuracy"]) / gap if gap > 0 else None
    res["relay"] = rel
    res["relay-student"] = {"params": models["relay-student"].n_params(),
                            "gguf_bytes": os.path.getsize(os.path.join(args.out, "tiny-relay-student.gguf"))}
    log("relay (relay-student + teacher): %s (%.0fs)" % (rel, time.time() - t0))
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
    with open(os.path.join(args.work, "relay-heldout-outputs.jsonl"), "w") as f:
        for p, t in zip(heldout, texts):
            f.write(json.dumps({"question": p["question"], "relay_answer": t}) + "\n")


def stage_pool(args, log):
    """GRPO candidates: training problems, disjoint from the held-out, smoke and validation sets and
    from the cold-start SFT problems. The teacher-based filter (`relay-eval filter`) reads this file."""
    _, _, _, taken = splits(args.seed)
    stream = tasks.training_stream(args.seed * 1000 + 5, taken)
    pool = [dict(next(stream), id="pool-%d" % i) for i in range(POOL)]
    path = os.path.join(args.out, "data", "rl_pool.jsonl")
    tasks.write_jsonl(path, pool)
    log("wrote %d GRPO candidate problems to %s" % (len(pool), path))


def stage_grpo(args, log):
    """Stage 2: GRPO from the stage-1 relay student, the teacher in the loop, on --pool."""
    import copy
    from .grpo import train_grpo
    if not args.pool:
        raise SystemExit("grpo needs --pool FILE (models/data/rl_filtered.jsonl, or rl_pool.jsonl for no filter)")
    pool = tasks.read_jsonl(args.pool)
    student = load_gguf_model(os.path.join(args.out, "tiny-relay-student.gguf"))
    teacher = load_gguf_model(os.path.join(args.out, "tiny-teacher.gguf"))
    teacher.eval()
    reference = copy.deepcopy(student)
    _, _, valid, _ = splits(args.seed)
    torch.manual_seed(args.seed * 1000 + 6)
    steps = args.steps or GRPO["steps"]
    log("grpo: %d problems from %s, reward %s, %s" % (len(pool), args.pool, args.reward, GRPO))
    snapshot = lambda m, step, res: export_gguf(m, os.path.join(args.work, "%s-step%d.gguf" % (os.path.basename(args.name), step)),
                                                "relay-" + args.name)
    history = train_grpo(student, reference, teacher, pool, steps, seed=args.seed * 1000 + 6, variant=args.reward,
                         group=GRPO["group"], problems_per_step=GRPO["problems_per_step"], lr=GRPO["lr"],
                         beta=GRPO["beta"], temperature=GRPO["temperature"], log=log, eval_problems=valid,
                         eval_every=GRPO["eval_every"], on_eval=snapshot)
    path = os.path.join(args.out, args.name + ".gguf")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    export_gguf(student, path, "relay-" + os.path.basename(args.name))
    with open(os.path.join(args.work, os.path.basename(args.name) + "-history.json"), "w") as f:
        json.dump(history, f)
    log("wrote %s (%d bytes)" % (path, os.path.getsize(path)))
