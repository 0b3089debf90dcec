"""Character-level SPM-style tokenizer, identical to what llama.cpp builds from our GGUF.

llama.cpp (tokenizer.ggml.model=llama, all scores 0, add_space_prefix=false) first splits out
special tokens (control tokens only when parse_special, user-defined always), then maps each
remaining character to its token; with one token per character and no multi-character normal
tokens there is nothing to merge. Characters outside the alphabet fall back to <0xNN> byte tokens.
Spaces are stored as U+2581 (a literal U+2581 in text therefore maps to the space token too).
"""
import json

# token types as in llama.cpp / gguf
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6

CONTROL_TOKENS = ["<s>", "</s>", "<|im_start|>", "<|im_end|>", "<|endoftext|>"]
USER_DEFINED_TOKENS = ["<call>", "</call>", "<think>", "</think>"]
# printable ASCII plus newline: covers the task text and ordinary prompts
ALPHABET = "\n" + "".join(chr(c) for c in range(0x20, 0x7F))
SPACE_PIECE = "\u2581"


class Tokenizer:
    def __init__(self):
        pieces, types = ["<unk>"], [UNKNOWN]
        for t in CONTROL_TOKENS:
            pieces.append(t); types.append(CONTROL)
        for t in USER_DEFINED_TOKENS:
            pieces.append(t); types.append(USER_DEFINED)
        self.byte_offset = len(pieces)
        for b in range(256):
            pieces.append("<0x%02X>" % b); types.append(BYTE)
        for ch in ALPHABET:
            pieces.append(SPACE_PIECE if ch == " " else ch); types.append(NORMAL)
        self.pieces, self.types = pieces, types
        self.char_to_id = {}
        for i, (p, t) in enumerate(zip(pieces, types)):
            if t == NORMAL:
                self.char_to_id[" " if p == SPACE_PIECE else p] = i
        self.char_to_id[SPACE_PIECE] = self.char_to_id[" "]
        self.special_to_id = {p: i for i, (p, t) in enumerate(zip(pieces, types))
                              if t in (UNKNOWN, CONTROL, USER_DEFINED)}
        self.unk_id = 0
        self.bos_id = pieces.index("<s>")
        self.eos_id = pieces.index("<|im_end|>")  # the chat end-of-turn token ends generation
        self.pad_id = pieces.index("<|endoftext|>")
        self.call_id = pieces.index("<call>")
        self.end_call_id = pieces.index("</call>")

    @property
    def vocab_size(self):
        return len(self.pieces)

    def encode(self, text, add_bos=False, parse_special=True):
        ids = [self.bos_id] if add_bos else []
        specials = sorted(self.special_to_id, key=len, reverse=True)
        i, n = 0, len(text)
        while i < n:
            if text[i] == "<":
                hit = None
                for s in specials:
                    if not parse_special and self.types[self.special_to_id[s]] != USER_DEFINED:
                        continue
                    if text.startswith(s, i):
                        hit = s
                        break
                if hit is not None:
                    ids.append(self.special_to_id[hit])
                    i += len(hit)
                    continue
            ch = text[i]
            tid = self.char_to_id.get(ch)
            if tid is not None:
                ids.append(tid)
            else:
                ids.extend(self.byte_offset + b for b in ch.encode("utf-8"))
            i += 1
        return ids

    def decode(self, ids, render_control=False):
        """Text as llama.cpp renders it: control tokens empty unless render_control, bytes joined."""
        out, buf = [], bytearray()
        for t in ids:
            ty = self.types[t]
            if ty == BYTE:
                buf.append(t - self.byte_offset)
                continue
            if buf:
                out.append(buf.decode("utf-8", errors="replace")); buf = bytearray()
            if ty in (CONTROL, UNKNOWN):
                if render_control:
                    out.append(self.pieces[t])
            else:
                out.append(self.pieces[t].replace(SPACE_PIECE, " "))
        if buf:
            out.append(buf.decode("utf-8", errors="replace"))
        return "".join(out)

    def to_json(self):
        return {
            "model": "llama", "add_bos_token": True, "add_eos_token": False, "add_space_prefix": False,
            "bos_token_id": self.bos_id, "eos_token_id": self.eos_id, "unknown_token_id": self.unk_id,
            "padding_token_id": self.pad_id,
            "tokens": [{"id": i, "piece": p, "type": t, "score": 0.0}
                       for i, (p, t) in enumerate(zip(self.pieces, self.types))],
        }


TOKENIZER = Tokenizer()

# ChatML as the Java side renders Qwen3, non-thinking
PROMPT_PREFIX = "<|im_start|>user\n"
PROMPT_SUFFIX = "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n"


def render_prompt(question):
    return PROMPT_PREFIX + question + PROMPT_SUFFIX


def prompt_ids(question, tok=TOKENIZER):
    return tok.encode(render_prompt(question), add_bos=True)


TOKENIZER_CASES = [
    "352+47=399\n#### 399",
    "hello world",
    "  two  spaces ",
    "<call>12</call>",
    "abc<call> 7 </call>def",
    "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
    "<s>x</s>",
    "<|endoftext|>",
    "caf\u00e9 costs 3\u20ac",
    "tab\there",
    "<call",
    "<0x41> is not a byte token in text",
    "</think>\n\n#### 5<|im_end|>",
    "line1\nline2\n\n",
    "<unk>",
    "\u2581",
]


def write_cases(path, tok=TOKENIZER):
    with open(path, "w", encoding="utf-8") as f:
        for text in TOKENIZER_CASES:
            f.write(json.dumps({"text": text, "add_bos": True, "parse_special": True,
                                "ids": tok.encode(text, add_bos=True)}, ensure_ascii=False) + "\n")
