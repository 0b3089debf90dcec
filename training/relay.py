"""Relay semantics in token ids: command insertion for the cold-start SFT data and a greedy relay simulator.

Both work on token ids: with our character-level tokenizer and atomic `<call>`/`</call>` tokens,
text-level and id-level operations agree (concatenation of texts = concatenation of ids).
"""
from .tokenizer import TOKENIZER

DIGITS = set(TOKENIZER.encode("0123456789"))
NEWLINE = TOKENIZER.encode("\n")[0]


def command_ids(n, tok=TOKENIZER):
    return tok.encode("<call>%d</call>" % n)


SPACE = TOKENIZER.encode(" ")[0]


def teacher_span(ref, p, start=0):
    """The span the teacher should write when the student diverges from `ref` at index p: from p
    to the end of the word there (the next space, newline or end-of-sequence, not included), or
    just the token at p when it is itself one of those. A word here is one column of the working
    (`0617`), one result (`=1710`), or one word of text, so a call buys the one thing the student
    got wrong, and the student writes the rest. Returns (s, e)."""
    stops = (SPACE, NEWLINE, TOKENIZER.eos_id)
    e = p
    while e < len(ref) and ref[e] not in stops:
        e += 1
    return p, max(e, min(p + 1, len(ref)))


def insert_commands(ref, wrong, tok=TOKENIZER):
    """Cold-start SFT segments for one reference answer (ids ending with EOS).

    `wrong`: the positions of `ref` where the plain student, reading the reference up to there,
    would write another token (its greedy prediction differs). At each one not already covered, a
    command `<call>N</call>` goes in and the reference to the end of that word (N tokens,
    `teacher_span`) is the teacher's span; the rest is the student's. Returns (ids, kind) segments
    with kind 'student' (in the loss), 'command' (in the loss) or 'teacher' (out of the loss).
    A student that never goes wrong gets the reference unchanged, with no command.
    """
    segs, pos = [], 0
    for p in sorted(wrong):
        if p < pos:
            continue
        s, e = teacher_span(ref, p, pos)
        if s > pos:
            segs.append((ref[pos:s], "student"))
        segs.append((command_ids(e - s, tok), "command"))
        segs.append((ref[s:e], "teacher"))
        pos = e
    if pos < len(ref):
        segs.append((ref[pos:], "student"))
    return segs


def segments_to_example(prompt, segments):
    ids, mask = list(prompt), [0] * len(prompt)
    for s, kind in segments:
        ids += s
        mask += [0 if kind == "teacher" else 1] * len(s)
    return ids, mask


def strip_commands(ids, tok=TOKENIZER):
    """Removes every `<call>...</call>` (token ids) as the relay does before the teacher reads."""
    out, i = [], 0
    while i < len(ids):
        if ids[i] == tok.call_id:
            j = i + 1
            while j < len(ids) and ids[j] != tok.end_call_id:
                j += 1
            if j < len(ids):
                i = j + 1
                continue
        out.append(ids[i])
        i += 1
    return out


def parse_command(ids, tok=TOKENIZER):
    """N of the command that `ids` ends with (`<call>N</call>`), None for an invalid N, or -1 when
    `ids` does not end with a command."""
    if not ids or ids[-1] != tok.end_call_id:
        return -1
    try:
        j = len(ids) - 2 - ids[-2::-1].index(tok.call_id)
    except ValueError:
        return -1
    body = tok.decode(ids[j + 1:-1]).strip()
    return int(body) if body.isdigit() else None


def relay_generate(student_fn, teacher_fn, prompt, max_tokens=256, max_call_tokens=64, default_call_tokens=16,
                   max_rounds=8, tok=TOKENIZER):
    """Greedy relay (DESIGN section 2) on token ids.

    student_fn(ids, max_new, stop_ids) and teacher_fn(ids, max_new) -> (new ids, reason) with reason
    'eos' (EOS included in new ids), 'stop' (stop token included) or 'length'.
    Returns (transcript S with commands and EOS removed, stats). Token counts exclude EOS, as a
    client counting the text would.
    """
    S, st, tt, rounds, finish = [], 0, 0, 0, None
    count = lambda ids: sum(1 for t in ids if t != tok.eos_id)
    while finish is None:
        remaining = max_tokens - st - tt
        if remaining <= 0:
            finish = "length"
            break
        new, why = student_fn(prompt + S, remaining, [tok.end_call_id])
        S += new
        st += count(new)
        if why != "stop":
            finish = why
            break
        n = parse_command(S, tok)
        if n == -1:
            continue
        n = default_call_tokens if n is None else n
        n = max(0, min(n, max_call_tokens, max_tokens - st - tt))
        if n == 0 or rounds >= max_rounds:
            continue
        rounds += 1
        t_new, t_why = teacher_fn(prompt + strip_commands(S, tok), n)
        S += t_new
        tt += count(t_new)
        if t_why == "eos":
            finish = "eos"
    text_ids = [t for t in strip_commands(S, tok) if t != tok.eos_id]
    return text_ids, {"student_tokens": st, "teacher_tokens": tt, "rounds": rounds, "finish": finish}


def model_fns(student, teacher, tok=TOKENIZER):
    """student_fn/teacher_fn over two `Llama` models (greedy, batch of one)."""
    def student_fn(ids, max_new, stop):
        return student.generate([ids], max_new, eos_id=tok.eos_id, stop_ids=stop, pad_id=tok.pad_id)[0]

    def teacher_fn(ids, max_new):
        return teacher.generate([ids], max_new, eos_id=tok.eos_id, pad_id=tok.pad_id)[0]
    return student_fn, teacher_fn
