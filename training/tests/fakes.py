from training.tokenizer import TOKENIZER as T


class Scripted:
    """A fake model: each generate call pops the next scripted text per row (ignores its inputs)
    and applies the real stop / limit / EOS rules."""

    def __init__(self, texts):
        self.texts = list(texts)
        self.calls = []

    def generate(self, prompts, max_new, eos_id, stop_ids=(), pad_id=0, temperature=0.0, generator=None):
        limits = max_new if isinstance(max_new, list) else [max_new] * len(prompts)
        out = []
        for p, limit in zip(prompts, limits):
            self.calls.append((list(p), limit))
            ids = T.encode(self.texts.pop(0), parse_special=True)
            new, why = [], "length"
            for t in ids:
                if len(new) >= limit:
                    break
                new.append(t)
                if t == eos_id:
                    why = "eos"
                    break
                if t in stop_ids:
                    why = "stop"
                    break
            out.append((new, why))
        return out
