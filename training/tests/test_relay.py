import unittest

from training.relay import (command_ids, insert_commands, parse_command, relay_generate,
                            segments_to_example, strip_commands, teacher_span)
from training.tokenizer import TOKENIZER as T

EOS = T.eos_id


def ids(text):
    return T.encode(text)


class CommandInsertionTest(unittest.TestCase):
    REF = ids("32*2=64\n64-53=11\n#### 11") + [EOS]

    def kinds(self, segs):
        return [(T.decode(s, True), k) for s, k in segs]

    def test_correct_student_gets_no_command(self):
        self.assertEqual(insert_commands(self.REF, []), [(self.REF, "student")])

    def test_command_at_the_wrong_token_spanning_the_rest_of_its_word(self):
        # the student would write "62" for "64": wrong at the "4" (index 6)
        segs = insert_commands(self.REF, [6])
        self.assertEqual(self.kinds(segs), [
            ("32*2=6", "student"), ("<call>1</call>", "command"), ("4", "teacher"),
            ("\n64-53=11\n#### 11<|im_end|>", "student")])

    def test_positions_inside_a_span_are_covered_and_a_wrong_end_is_the_teachers(self):
        # wrong at "3" of "32" (0) and at its "2" (1, inside the first span), at the last "1" and at EOS
        last = len(self.REF) - 2
        segs = insert_commands(self.REF, [1, 0, last, last + 1])
        self.assertEqual(self.kinds(segs), [
            ("<call>7</call>", "command"), ("32*2=64", "teacher"), ("\n64-53=11\n#### 1", "student"),
            ("<call>1</call>", "command"), ("1", "teacher"), ("<call>1</call>", "command"), ("<|im_end|>", "teacher")])
        example, mask = segments_to_example(ids("Q"), segs)
        self.assertEqual(example, ids("Q") + ids("<call>7</call>32*2=64\n64-53=11\n#### 1<call>1</call>1<call>1</call>")
                         + [EOS])
        teacher = [example[i] for i, m in enumerate(mask) if m == 0][len(ids("Q")):]
        self.assertEqual(T.decode(teacher, True), "32*2=641<|im_end|>")

    def test_span_runs_from_the_divergence_to_the_end_of_its_word(self):
        ref = ids("1400*2 1202 4208 =2800\n") + [EOS]
        self.assertEqual(teacher_span(ref, 9, 0), (9, 11))  # "02" of the column "1202"
        self.assertEqual(teacher_span(ref, 18, 0), (18, 22))  # "2800" of the result
        self.assertEqual(teacher_span(ref, 6, 0), (6, 7))  # a space: just that token
        self.assertEqual(teacher_span(ref, 22, 0), (22, 23))  # the newline
        self.assertEqual(teacher_span(ref, 23, 0), (23, 24))  # the end of sequence


class RelaySimulatorTest(unittest.TestCase):
    def fake(self, script):
        """A scripted model: pops its next output; records what it was given."""
        calls = []

        def fn(x, max_new, stop=()):
            calls.append((list(x), max_new))
            out = script.pop(0)[:max_new]
            if out and out[-1] == EOS:
                return out, "eos"
            if out and out[-1] in stop:
                return out, "stop"
            return out, "length"
        return fn, calls

    def test_student_command_teacher_span_then_student_finishes(self):
        prompt = ids("P")
        student, s_calls = self.fake([ids("1+1=<call>2</call>"), ids("\n#### 2") + [EOS]])
        teacher, t_calls = self.fake([ids("2\nXYZ")])
        out, st = relay_generate(student, teacher, prompt)
        self.assertEqual(T.decode(out), "1+1=2\n\n#### 2")
        self.assertEqual(t_calls[0], (prompt + ids("1+1="), 2))  # commands stripped, N respected
        self.assertEqual(s_calls[1][0], prompt + ids("1+1=<call>2</call>2\n"))  # student keeps its command
        self.assertEqual(st, {"student_tokens": len(ids("1+1=<call>2</call>")) + len(ids("\n#### 2")),
                              "teacher_tokens": 2, "rounds": 1, "finish": "eos"})

    def test_teacher_eos_ends_the_answer(self):
        student, s_calls = self.fake([ids("<call>9</call>")])
        teacher, _ = self.fake([ids("#### 5") + [EOS]])
        out, st = relay_generate(student, teacher, ids("P"))
        self.assertEqual(T.decode(out), "#### 5")
        self.assertEqual(len(s_calls), 1)
        self.assertEqual((st["teacher_tokens"], st["finish"]), (6, "eos"))

    def test_n_is_clamped_and_invalid_n_uses_default_and_zero_means_no_call(self):
        student, _ = self.fake([ids("<call>999</call>"), ids("<call>x</call>"), ids("<call>0</call>"), [EOS]])
        teacher, t_calls = self.fake([ids("a"), ids("b")])
        out, st = relay_generate(student, teacher, ids("P"), max_call_tokens=7, default_call_tokens=3)
        self.assertEqual([n for _, n in t_calls], [7, 3])
        self.assertEqual(st["rounds"], 2)
        self.assertEqual(T.decode(out), "ab")

    def test_budget_limits_the_answer(self):
        student, _ = self.fake([ids("abcdefgh")])
        teacher, _ = self.fake([])
        out, st = relay_generate(student, teacher, ids("P"), max_tokens=5)
        self.assertEqual(T.decode(out), "abcde")
        self.assertEqual(st["finish"], "length")

    def test_strip_and_parse_commands(self):
        x = ids("a<call>3</call>b<call> 12 </call>")
        self.assertEqual(strip_commands(x), ids("ab"))
        self.assertEqual(parse_command(x), 12)
        self.assertEqual(parse_command(ids("a</call>")), -1)
        self.assertEqual(parse_command(ids("<call></call>")), None)
        self.assertEqual(parse_command(ids("abc")), -1)
        self.assertEqual(command_ids(4), ids("<call>4</call>"))


if __name__ == "__main__":
    unittest.main()
