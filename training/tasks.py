"""Seeded generator of GSM8K-style multi-step arithmetic word problems.

A problem starts from a 2-3 digit amount and applies 2-3 steps: add a 2 digit number,
subtract one (never going below 1), or multiply by 2-5 (only while the amount is under 250).
Values stay under 1350. The reference answer has one working line per step, `a+b=c`,
then `#### c`, as in GSM8K.
"""
import json
import random

NAMES = [("Ann", "She"), ("Ben", "He"), ("Cara", "She"), ("Dan", "He"), ("Eva", "She"),
         ("Finn", "He"), ("Gia", "She"), ("Hugo", "He"), ("Ivy", "She"), ("Jack", "He"),
         ("Lena", "She"), ("Omar", "He"), ("Rosa", "She"), ("Sam", "He"), ("Tara", "She"), ("Umar", "He")]
ITEMS = ["apples", "coins", "pens", "cards", "books", "stamps", "shells", "marbles", "stickers", "eggs"]
PLACES = ["A shop", "A farm", "A school", "A library", "A bakery", "A club"]
ADD_VERBS = ["gets {b} more", "buys {b} more", "finds {b} more", "wins {b}"]
SUB_VERBS = ["loses {b}", "gives away {b}", "sells {b}", "uses {b}"]
PLACE_ADD = ["gets {b} more", "buys {b} more", "receives {b}"]
PLACE_SUB = ["sells {b}", "gives away {b}", "loses {b}"]
MUL_WORDS = {2: "doubles them", 3: "triples them", 4: "gets 4 times as many", 5: "gets 5 times as many"}


def make_problem(rng):
    a = rng.randint(10, 999)
    steps, value = [], a
    for _ in range(rng.choice((2, 3))):
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
        addv, subv = ADD_VERBS, SUB_VERBS
        start = "%s has %d %s." % (name, a, item)
        tail = "How many %s does %s have?" % (item, pron.lower())
    else:
        place = rng.choice(PLACES)
        item = rng.choice(ITEMS)
        pron, addv, subv = "It", PLACE_ADD, PLACE_SUB
        start = "%s has %d %s." % (place, a, item)
        tail = "How many %s now?" % item
    parts = []
    for op, b, _, _ in steps:
        if op == "+":
            parts.append(rng.choice(addv).format(b=b))
        elif op == "-":
            parts.append(rng.choice(subv).format(b=b))
        else:
            parts.append(MUL_WORDS[b])
    body = " %s %s, then %s." % (pron, ", ".join(parts[:-1]), parts[-1])
    question = start + body + " " + tail
    lines = ["%d%s%d=%d" % (v, op, b, n) for op, b, v, n in steps]
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
