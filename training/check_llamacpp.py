"""Cross-checks a GGUF against llama.cpp through java-llama.cpp (de.kherud:llama 4.2.0 from ~/.m2):
tokenizer cases must give the same ids, and greedy completions of the smoke prompts the same text
as PyTorch. Needs java and the jar; not part of the unit tests (it is a dev check).

    /usr/bin/python3 -m training.check_llamacpp models/tiny-teacher.gguf [--n 20]
"""
import argparse
import json
import os
import subprocess
import tempfile

from . import tasks
from .export import load_gguf_model
from .tokenizer import TOKENIZER, TOKENIZER_CASES, render_prompt
from .train import greedy_answers, setup_torch

JAR = os.path.expanduser("~/.m2/repository/de/kherud/llama/4.2.0/llama-4.2.0.jar")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gguf")
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--problems", default="models/data/smoke.jsonl")
    args = ap.parse_args()
    setup_torch(1)
    problems = tasks.read_jsonl(args.problems)[:args.n]
    d = tempfile.mkdtemp()
    with open(os.path.join(d, "cases.txt"), "w") as f:
        f.writelines(json.dumps(c) + "\n" for c in TOKENIZER_CASES)
    with open(os.path.join(d, "prompts.txt"), "w") as f:
        f.writelines(json.dumps(render_prompt(p["question"])) + "\n" for p in problems)
    native = os.path.join(d, "native")
    os.makedirs(native)
    src = os.path.join(os.path.dirname(__file__), "tools", "GgufCheck.java")
    out = subprocess.run(["java", "-Dde.kherud.llama.tmpdir=" + native, "-cp", JAR, src, args.gguf,
                          os.path.join(d, "cases.txt"), os.path.join(d, "prompts.txt"), "100"],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    toks = [json.loads(l.split("\t", 1)[1]) for l in out if l.startswith("TOK\t")]
    gens = [l.split("\t", 1)[1].replace("\\n", "\n") for l in out if l.startswith("GEN\t")]
    tok_ok = sum(t == TOKENIZER.encode(c) for t, c in zip(toks, TOKENIZER_CASES))
    mine = greedy_answers(load_gguf_model(args.gguf), [p["question"] for p in problems], max_new=100)
    gen_ok = sum(a == b for a, b in zip(gens, mine))
    for a, b in zip(gens, mine):
        if a != b:
            print("DIFF llama.cpp=%r pytorch=%r" % (a, b))
    print("tokenizer cases identical: %d/%d; greedy completions identical: %d/%d" % (
        tok_ok, len(TOKENIZER_CASES), gen_ok, len(problems)))
    return 0 if tok_ok == len(TOKENIZER_CASES) and gen_ok == len(problems) else 1


if __name__ == "__main__":
    raise SystemExit(main())
