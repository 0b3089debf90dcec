import json
import os
import unittest

from training.tokenizer import (BYTE, CONTROL, NORMAL, TOKENIZER, UNKNOWN, USER_DEFINED, TOKENIZER_CASES,
                                render_prompt)

CASES = os.path.join(os.path.dirname(__file__), "..", "..", "models", "data", "tokenizer_cases.jsonl")


class TokenizerTest(unittest.TestCase):
    def test_committed_cases_match(self):
        with open(CASES, encoding="utf-8") as f:
            cases = [json.loads(l) for l in f if l.strip()]
        self.assertEqual([c["text"] for c in cases], TOKENIZER_CASES)
        for c in cases:
            self.assertEqual(TOKENIZER.encode(c["text"], add_bos=c["add_bos"]), c["ids"], c["text"])

    def test_vocab_layout(self):
        t = TOKENIZER
        self.assertEqual(t.pieces[:10], ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>", "<|endoftext|>",
                                         "<call>", "</call>", "<think>", "</think>"])
        self.assertEqual(t.types[:10], [UNKNOWN] + [CONTROL] * 5 + [USER_DEFINED] * 4)
        self.assertEqual(t.pieces[10], "<0x00>")
        self.assertEqual(t.pieces[265], "<0xFF>")
        self.assertTrue(all(ty == BYTE for ty in t.types[10:266]))
        self.assertTrue(all(ty == NORMAL for ty in t.types[266:]))
        self.assertIn("\u2581", t.pieces)
        self.assertNotIn(" ", t.pieces)
        self.assertEqual(len(set(t.pieces)), t.vocab_size)
        self.assertEqual((t.bos_id, t.eos_id), (1, 4))

    def test_specials_are_atomic(self):
        self.assertEqual(TOKENIZER.encode("<call>12</call>"),
                         [TOKENIZER.call_id] + TOKENIZER.encode("12") + [TOKENIZER.end_call_id])
        self.assertEqual(len(TOKENIZER.encode("<call")), 5)

    def test_control_tokens_only_with_parse_special(self):
        self.assertEqual(TOKENIZER.encode("<|im_end|>"), [TOKENIZER.eos_id])
        self.assertEqual(len(TOKENIZER.encode("<|im_end|>", parse_special=False)), len("<|im_end|>"))
        self.assertEqual(TOKENIZER.encode("<call>", parse_special=False), [TOKENIZER.call_id])

    def test_byte_fallback_and_round_trip(self):
        ids = TOKENIZER.encode("caf\u00e9")
        self.assertEqual(ids[-2:], [TOKENIZER.byte_offset + 0xC3, TOKENIZER.byte_offset + 0xA9])
        for text in ["caf\u00e9 3\u20ac", "a  b\n\nc", "<call>3</call>x"]:
            self.assertEqual(TOKENIZER.decode(TOKENIZER.encode(text)), text)

    def test_control_tokens_render_empty(self):
        ids = TOKENIZER.encode(render_prompt("Hi"))
        self.assertEqual(TOKENIZER.decode(ids), "user\nHi\nassistant\n<think>\n\n</think>\n\n")


if __name__ == "__main__":
    unittest.main()
