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


def first_divergence(gen, ref_rest):
    """Index of the first token where gen differs from ref_rest, or None when they are equal."""
    for i, r in enumerate(ref_rest):
        if i >= len(gen) or gen[i] != r:
            return i
    return None if len(gen) == len(ref_rest) else len(ref_rest)


def insert_commands(prompts, refs, continue_fn, max_new=256, tok=TOKENIZER, max_rounds=8):
    """Cold-start SFT data by simulating a relay with a perfect teacher.

    prompts: token-id prompts; refs: reference answers as ids ending with EOS; continue_fn(list of
    id lists, max_new) -> list of generated id lists (the plain student's greedy continuations).
    The student runs from the prompt; where its output first diverges from the reference, a command
    `<call>N</call>` goes in right there and the reference text to the end of that word (N tokens,
    `teacher_span`) follows as the teacher's span; the student then continues from there, and so on. Returns per problem a list of (ids, kind) segments with kind in
    'student' (in the loss), 'command' (in the loss) and 'teacher' (out of the loss).
    """
    n = len(prompts)
    segs = [[] for _ in range(n)]
    pos = [0] * n           # how much of the reference is already in the transcript
    active = list(range(n))
    for _ in range(max_rounds):
        if not active:
            break
        inputs = []
        for i in active:
            inputs.append(prompts[i] + [t for s, _ in segs[i] for t in s])
        gens = continue_fn(inputs, max_new)
        still = []
        for i, gen in zip(active, gens):
            ref, start = refs[i], pos[i]
            d = first_divergence(gen, ref[start:])
            if d is None:
                segs[i].append((ref[start:], "student"))
                pos[i] = len(ref)
                continue
            p = start + d
            s, e = teacher_span(ref, p, start)
            if s > start:
                segs[i].append((ref[start:s], "student"))
            segs[i].append((command_ids(e - s, tok), "command"))
            segs[i].append((ref[s:e], "teacher"))
            pos[i] = e
            if e < len(ref):
                still.append(i)
        active = still
    for i in active:  # out of rounds: the rest as the teacher's
        if pos[i] < len(refs[i]):
            rest = refs[i][pos[i]:]
            segs[i] += [(command_ids(len(rest), tok), "command"), (rest, "teacher")]
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
