"""Relay semantics in token ids: command insertion for the cold-start SFT data and a batched relay simulator.

Both work on token ids: with our character-level tokenizer and atomic `<call>`/`</call>` tokens,
text-level and id-level operations agree (concatenation of texts = concatenation of ids).
"""
from .tokenizer import TOKENIZER

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


STUDENT, TEACHER = "s", "t"


def relay_rollouts(student, teacher, prompts, temperature=1.0, generator=None, max_tokens=256,
                   max_call_tokens=64, default_call_tokens=16, max_rounds=8, tok=TOKENIZER):
    """The relay for a batch of prompts at once. Returns one dict per prompt: `ids` (the transcript
    with commands and teacher text, EOS included when written), `kinds` (STUDENT or TEACHER per id),
    `student_tokens`, `teacher_tokens` (EOS not counted), `rounds` (teacher calls), `finish`, `text`
    (the answer with commands removed, as the client sees it)."""
    n = len(prompts)
    ids, kinds = [[] for _ in range(n)], [[] for _ in range(n)]
    st, tt, rounds, finish = [0] * n, [0] * n, [0] * n, [None] * n
    count = lambda new: sum(1 for t in new if t != tok.eos_id)
    active = list(range(n))
    while active:
        run = []
        for i in active:
            if max_tokens - st[i] - tt[i] <= 0:
                finish[i] = "length"
            else:
                run.append(i)
        if not run:
            break
        res = student.generate([prompts[i] + ids[i] for i in run], [max_tokens - st[i] - tt[i] for i in run],
                               eos_id=tok.eos_id, stop_ids=[tok.end_call_id], pad_id=tok.pad_id,
                               temperature=temperature, generator=generator)
        callers = []
        for i, (new, why) in zip(run, res):
            ids[i] += new
            kinds[i] += [STUDENT] * len(new)
            st[i] += count(new)
            if why != "stop":
                finish[i] = why
                continue
            want = parse_command(ids[i], tok)
            if want == -1:
                continue
            want = default_call_tokens if want is None else want
            want = max(0, min(want, max_call_tokens, max_tokens - st[i] - tt[i]))
            if want > 0 and rounds[i] < max_rounds:
                callers.append((i, want))
        if callers:
            res = teacher.generate([prompts[i] + strip_commands(ids[i], tok) for i, _ in callers],
                                   [w for _, w in callers], eos_id=tok.eos_id, pad_id=tok.pad_id)
            for (i, _), (new, why) in zip(callers, res):
                rounds[i] += 1
                ids[i] += new
                kinds[i] += [TEACHER] * len(new)
                tt[i] += count(new)
                if why == "eos":
                    finish[i] = "eos"
        active = [i for i in active if finish[i] is None]
    out = []
    for i in range(n):
        text = tok.decode([t for t in strip_commands(ids[i], tok) if t != tok.eos_id])
        out.append({"ids": ids[i], "kinds": kinds[i], "student_tokens": st[i], "teacher_tokens": tt[i],
                    "rounds": rounds[i], "finish": finish[i], "text": text})
    return out
