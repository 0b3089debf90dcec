"""Seeded generator of GSM8K-style multi-step arithmetic word problems.

A problem starts from a 2-3 digit amount and applies 2 (70%) or 3 steps: add a 2 digit number,
subtract one (never going below 1), or multiply by 2-5 (only while the amount is under 250).
Values stay under 1350. Each step is its own sentence, led by First/Then/Finally. The reference
answer restates the first sentence, then one working line per step that restates the step and
computes it (`First she loses 25: 147-25=122`), then `#### c` as in GSM8K. Restating keeps every
number the model needs close to where it is used: copying the question in order is easy for a
small transformer (induction), searching a long question for the k-th number is not.
"""
import json
import random

NAMES = [("Ann", "She"), ("Ben", "He"), ("Cara", "She"), ("Dan", "He"), ("Eva", "She"),
         ("Finn", "He"), ("Gia", "She"), ("Hugo", "He"), ("Ivy", "She"), ("Jack", "He"),
         ("Lena", "She"), ("Omar", "He"), ("Rosa", "She"), ("Sam", "He"), ("Tara", "She"), ("Umar", "He")]
ITEMS = ["apples", "coins", "pens", "cards", "books", "stamps", "shells", "marbles", "stickers", "eggs"]
PLACES = ["A shop", "A farm", "A school", "A library", "A bakery", "A club"]
ADD_VERBS = ["gets {b}", "buys {b}", "finds {b}", "wins {b}"]
SUB_VERBS = ["loses {b}", "gives {b}", "sells {b}", "uses {b}"]
PLACE_ADD = ["gets {b}", "buys {b}", "makes {b}"]
PLACE_SUB = ["sells {b}", "gives {b}", "loses {b}"]
MARKERS = {2: ("First", "Then"), 3: ("First", "Then", "Finally")}
MUL_WORDS = {2: "doubles them", 3: "triples them", 4: "has 4 times more", 5: "has 5 times more"}


def make_problem(rng):
    a = rng.randint(10, 999)
    steps, value = [], a
    for _ in range(3 if rng.random() < 0.3 else 2):
        ops = ["+"] + (["-"] if value > 20 else []) + (["*"] if value < 250 else [])
        op = rng.choice(ops)
        if op == "+":
            b = rng.randint(10, 99)
            new = value + b
        elif op == "-":
            b = rng.randint(10, min(99, value - 1))
            new = value - b
        else:
            b = rng.randint(2, 5)
            new = value * b
        steps.append((op, b, value, new))
        value = new

    if rng.random() < 0.7:
        name, pron = rng.choice(NAMES)
        item = rng.choice(ITEMS)
        addv, subv, pron = ADD_VERBS, SUB_VERBS, pron.lower()
        start = "%s has %d %s." % (name, a, item)
    else:
        item = rng.choice(ITEMS)
        addv, subv, pron = PLACE_ADD, PLACE_SUB, "it"
        start = "%s has %d %s." % (rng.choice(PLACES), a, item)
    clauses = []
    for (op, b, _, _), marker in zip(steps, MARKERS[len(steps)]):
        if op == "+":
            verb = rng.choice(addv).format(b=b)
        elif op == "-":
            verb = rng.choice(subv).format(b=b)
        else:
            verb = MUL_WORDS[b]
        clauses.append("%s %s %s" % (marker, pron, verb))
    question = " ".join([start] + [c + "." for c in clauses] + ["How many now?"])
    lines = [start] + ["%s: %d%s%d=%d" % (c, v, op, b, n) for c, (op, b, v, n) in zip(clauses, steps)]
    answer = "\n".join(lines) + "\n#### %d" % value
    return {"question": question, "answer": answer}


def final_answer(text):
    """The number after the last `####`, or None when the answer is not well formed."""
    if text is None or "####" not in text:
        return None
    tail = text.rsplit("####", 1)[1].strip()
    tail = tail.split("\n", 1)[0].strip().replace(",", "")
    try:
        return int(tail)
    except ValueError:
        return None


def heldout_and_smoke(seed, n_heldout=500, n_smoke=20):
    rng = random.Random("heldout-%d" % seed)
    seen, problems = set(), []
    while len(problems) < n_heldout + n_smoke:
        p = make_problem(rng)
        if p["question"] not in seen:
            seen.add(p["question"]); problems.append(p)
    return problems[:n_heldout], problems[n_heldout:]


def training_stream(seed, exclude):
    """Endless stream of training problems, none of whose questions is in `exclude`."""
    rng = random.Random("train-%d" % seed)
    while True:
        p = make_problem(rng)
        if p["question"] not in exclude:
            yield p


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
