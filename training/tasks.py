"""Seeded generator of GSM8K-style multi-step arithmetic word problems.

A problem starts from a 3 digit amount and applies 2 (70%) or 3 steps: add a 2 digit number,
subtract one (never going below 1), or multiply by 2-5 (only while the amount is under 250).
Values stay under 1350. Each step is its own sentence, led by First/Then/Finally. The reference
answer restates the first sentence, then one working line per step that restates the step and
computes it, then the result in plain digits and `#### c` as in GSM8K:

    Ivy has 106 cards.
    First she loses 65: 6010-5600 6501 0604 1010 0000 =1400
    Then she doubles them: 1400*2 1202 4208 0200 0200 =2800
    Now: 0082
    #### 82

In the working every number is written with 4 digits, least significant first (106 -> 6010), and
the operation is done column by column, least significant first: each group of 4 digits is the
digit of a, the digit of b (or the multiplier), the carry or borrow coming in, and the result
digit. Every digit the model writes is then a copy of one earlier digit, or a small function of the
two or three digits right before it. Two simpler layouts did not train in the time here
(models/README.md): results written most significant digit first (a carry depends on every lower
column), and `6010-5600=1400` (a result digit needs two operand digits 5 and 10 tokens back at once;
attending to either alone tells nothing about a sum's last digit, so there is no gradient to start
from). `Now:` turns the result back to usual order, still 4 digits wide, and the `####` line drops
the leading zeros. Restating keeps every number the model
needs close to where it is used: copying the question in order is easy for a small transformer
(induction), searching a long question for the k-th number is not.
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


def rev4(n):
    """n with 4 digits, least significant first: 106 -> "6010"."""
    return ("%04d" % n)[::-1]


def columns(a, op, b):
    """The column-by-column working of a op b, least significant column first: per column the
    digit of a, the digit of b (or the multiplier), the carry (or borrow) coming in and the result
    digit. Returns (columns text, result)."""
    cols, carry = [], 0
    for k in range(4):
        da = a // 10 ** k % 10
        db = b if op == "*" else b // 10 ** k % 10
        if op == "+":
            t = da + db + carry
            digit, out = t % 10, t // 10
        elif op == "-":
            t = da - db - carry
            digit, out = t % 10, 1 if t < 0 else 0
        else:
            t = da * db + carry
            digit, out = t % 10, t // 10
        cols.append("%d%d%d%d" % (da, db, carry, digit))
        carry = out
    result = {"+": a + b, "-": a - b, "*": a * b}[op]
    assert carry == 0 and 0 <= result < 10000, (a, op, b)
    return " ".join(cols), result


def working(a, op, b):
    """`6010+5600 6501 0617 1001 0000 =1710` for 106+65: the operands 4 digits wide, least significant first,
    the columns (see `columns`), and the result the same way."""
    cols, result = columns(a, op, b)
    return "%s%s%s %s =%s" % (rev4(a), op, b if op == "*" else rev4(b), cols, rev4(result))


def flat_working(a, op, b):
    """The first layout tried, `6010-5600=1400` (no columns): phase 1 of the training reads it."""
    result = {"+": a + b, "-": a - b, "*": a * b}[op]
    return "%s%s%s=%s" % (rev4(a), op, b if op == "*" else rev4(b), rev4(result))


LAYOUTS = {"columns": working, "flat": flat_working}


def make_problem(rng, layout="columns"):
    a = rng.randint(100, 999)
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
    lines = [start] + ["%s: %s" % (c, LAYOUTS[layout](v, op, b)) for c, (op, b, v, _) in zip(clauses, steps)]
    answer = "\n".join(lines) + "\nNow: %04d\n#### %d" % (value, value)
    return {"question": question, "answer": answer}


def drill_segments(rng, lines=6):
    """Arithmetic drill: the working of random problems' lines without their words
    (`: 6010-5600 6501 0604 1010 0000 =1400`), one per line, as (text, in_loss) segments with the
    operands out of the loss (they are random here) and the columns and the result in it. The same
    local layout as in an answer, about 2x more columns per token."""
    segs = []
    while len(segs) < 2 * lines:
        for line in make_problem(rng)["answer"].split("\n")[1:-2]:
            work = line[line.index(": "):]
            cut = work.index(" ", 2)
            segs += [(work[:cut], False), (work[cut:] + "\n", True)]
    return segs[:2 * lines]


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


def training_stream(seed, exclude, layout="columns"):
    """Endless stream of training problems, none of whose questions is in `exclude`."""
    rng = random.Random("train-%d" % seed)
    while True:
        p = make_problem(rng, layout)
        if p["question"] not in exclude:
            yield p


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
