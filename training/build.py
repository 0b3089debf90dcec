"""Rebuilds the project's tiny models from a seed, one stage per invocation.

    /usr/bin/python3 -m training.build data|teacher|student|relay|eval|pool|grpo [--seed S] [--out models]

Stages read what earlier stages wrote under --out (the GGUF files are the hand-over format).
`training/build_models.sh` runs them all; every stage is deterministic for a given seed and
thread count (one thread each).
"""
import argparse
import json
import os
import random
import time

import torch

from . import tasks
from .export import export_gguf, load_gguf_model
from .model import Config, Llama
from .tokenizer import TOKENIZER, write_cases
from .train import (accuracy, batches_of, drill_example, greedy_answers, plain_example, setup_torch, train)

TEACHER = dict(dim=144, n_layers=4, n_heads=4, n_kv_heads=4, ffn_dim=384, context_length=384)
STUDENT = dict(dim=80, n_layers=3, n_heads=4, n_kv_heads=4, ffn_dim=216, context_length=384)
SCHEDULES = {  # per phase: steps, batch size (+ drill sequences), peak learning rate, warmup, schedule
    "teacher": [dict(steps=600, batch=16, lr=1.5e-3, warmup=100, schedule="constant"),
                dict(steps=900, batch=8, drills=16, lr=1.5e-3, warmup=20, schedule="constant"),
                dict(steps=200, batch=16, lr=1.5e-3, warmup=1, schedule="cosine")],
    "student": [dict(steps=1000, batch=16, lr=3e-3, warmup=50, schedule="constant"),
                dict(steps=600, batch=8, drills=16, lr=3e-3, warmup=20, schedule="constant")],
}
N_VALID = 100


def log(msg):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def splits(seed):
    heldout, smoke = tasks.heldout_and_smoke(seed)
    rng = random.Random("valid-%d" % seed)
    taken = {p["question"] for p in heldout + smoke}
    valid = []
    while len(valid) < N_VALID:
        p = tasks.make_problem(rng)
        if p["question"] not in taken:
            taken.add(p["question"]); valid.append(p)
    return heldout, smoke, valid, taken


def stage_data(args):
    heldout, smoke, _, _ = splits(args.seed)
    os.makedirs(os.path.join(args.out, "data"), exist_ok=True)
    tasks.write_jsonl(os.path.join(args.out, "data", "heldout.jsonl"), heldout)
    tasks.write_jsonl(os.path.join(args.out, "data", "smoke.jsonl"), smoke)
    write_cases(os.path.join(args.out, "data", "tokenizer_cases.jsonl"))
    with open(os.path.join(args.out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(TOKENIZER.to_json(), f, ensure_ascii=False, indent=1)
    log("wrote %d held-out and %d smoke problems" % (len(heldout), len(smoke)))


def train_plain(args, name, arch, seed_offset):
    _, _, valid, taken = splits(args.seed)
    phase = args.phase
    torch.manual_seed(args.seed * 1000 + seed_offset + 100 * (phase - 1))
    phases = len(SCHEDULES[name])
    if phase > phases:
        raise SystemExit("%s has %d training phases" % (name, phases))
    if phase == 1:
        model = Llama(Config(TOKENIZER.vocab_size, **arch))
    else:  # continue from the previous phase's model
        model = load_gguf_model(os.path.join(args.work, "%s-phase%d.gguf" % (name, phase - 1)))
        model.cfg.context_length = arch["context_length"]
    sched = dict(SCHEDULES[name][phase - 1])
    if args.steps:
        sched["steps"] = args.steps
    log("%s phase %d: %d parameters, schedule %s" % (name, phase, model.n_params(), sched))
    stream_seed = args.seed * 1000 + seed_offset + 100 * (phase - 1)
    # phase 1 (reading and copying) ran on the first, flat layout of the working; phase 2 on columns
    stream = (plain_example(p) for p in tasks.training_stream(stream_seed, taken, "flat" if phase == 1 else "columns"))
    drill_rng = random.Random("drill-%d" % stream_seed)
    drills = (drill_example(tasks.drill_segments(drill_rng)) for _ in iter(int, 1))
    eval_fn = lambda m: "valid acc %.3f formed %.3f" % accuracy(greedy_answers(m, [p["question"] for p in valid]), valid)
    snapshot = lambda m, step: export_gguf(m, os.path.join(args.work, "%s-step%d.gguf" % (name, step)), "relay-tiny-" + name)
    batches = batches_of(stream, sched["batch"], drills, sched.get("drills", 0))
    info = train(model, batches, sched["steps"], sched["lr"], sched["warmup"],
                 log=log, eval_fn=eval_fn, eval_every=args.eval_every, ckpt_path=os.path.join(args.work, name + ".pt"),
                 schedule=sched.get("schedule", "cosine"), on_eval=snapshot)
    log("%s trained: %s; %s" % (name, info, eval_fn(model)))
    last = phase == phases
    path = os.path.join(args.out, "tiny-%s.gguf" % name) if last else os.path.join(args.work, "%s-phase%d.gguf" % (name, phase))
    export_gguf(model, path, "relay-tiny-" + name)
    info.update(params=model.n_params(), config=model.cfg.to_dict(), schedule=sched)
    with open(os.path.join(args.work, "%s-phase%d-train.json" % (name, phase)), "w") as f:
        json.dump(info, f, indent=1)
    log("wrote %s (%d bytes)" % (path, os.path.getsize(path)))


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("stage", choices=["data", "teacher", "student", "relay", "eval", "pool", "grpo"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="models")
    ap.add_argument("--work", default=os.environ.get("RELAY_BUILD_WORK", "/tmp/relay-build"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=0, help="override the training steps (smoke runs)")
    ap.add_argument("--phase", type=int, default=1, choices=[1, 2, 3],
                    help="teacher/student: 1 = answers (flat layout) from scratch; 2 = answers (columns) + arithmetic "
                         "drills, from phase 1; 3 (teacher) = answers, learning rate decaying, from phase 2")
    ap.add_argument("--eval-every", type=int, default=350)
    ap.add_argument("--limit", type=int, default=0, help="evaluate on the first N held-out problems only")
    ap.add_argument("--pool", help="grpo: problems to train on (JSONL, GSM8K layout; e.g. `relay-eval filter` output)")
    ap.add_argument("--reward", default="difficulty-aware", choices=["difficulty-aware", "simple"], help="grpo: reward")
    ap.add_argument("--name", default="tiny-relay-student-grpo", help="grpo: output model name (file <name>.gguf)")
    args = ap.parse_args(argv)
    setup_torch(args.threads)
    os.makedirs(args.work, exist_ok=True)
    t0 = time.time()
    if args.stage == "data":
        stage_data(args)
    elif args.stage == "teacher":
        train_plain(args, "teacher", TEACHER, 1)
    elif args.stage == "student":
        train_plain(args, "student", STUDENT, 2)
    elif args.stage == "relay":
        from .relay_build import stage_relay
        stage_relay(args, log)
    elif args.stage == "eval":
        from .relay_build import stage_eval
        stage_eval(args, log)
    elif args.stage == "pool":
        from .relay_build import stage_pool
        stage_pool(args, log)
    elif args.stage == "grpo":
        from .relay_build import stage_grpo
        stage_grpo(args, log)
    log("stage %s done in %.1fs" % (args.stage, time.time() - t0))


if __name__ == "__main__":
    main()
