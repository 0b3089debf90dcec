import unittest

from training.relay import (command_ids, first_divergence, insert_commands, parse_command, relay_generate,
                            segments_to_example, strip_commands, teacher_span)
from training.tokenizer import TOKENIZER as T

EOS = T.eos_id


def ids(text):
    return T.encode(text)


class CommandInsertionTest(unittest.TestCase):
    REF = ids("32*2=64\n64-53=11\n#### 11") + [EOS]

    def scripted_student(self, outputs):
        """A fake plain student: the continuation is looked up by the end of the text so far."""
        def fn(inputs, max_new):
            res = []
            for x in inputs:
                text = T.decode(x, render_control=True)
                res.append(next(v for k, v in outputs if text.endswith(k))[:max_new])
            return res
        return fn

    def test_correct_student_gets_no_command(self):
        fn = self.scripted_student([("", self.REF)])
        segs = insert_commands([ids("Q")], [self.REF], fn)
        self.assertEqual(segs, [[(self.REF, "student")]])

    def test_command_at_the_wrong_token_spanning_the_rest_of_its_word(self):
        fn = self.scripted_student([
            ("</call>4", ids("\n64-53=11\n#### 11") + [EOS]),
            ("Q", ids("32*2=62\n62-53=9\n#### 9") + [EOS]),
        ])
        segs = insert_commands([ids("Q")], [self.REF], fn)
        self.assertEqual([(T.decode(s, True), k) for s, k in segs[0]], [
            ("32*2=6", "student"), ("<call>1</call>", "command"), ("4", "teacher"),
            ("\n64-53=11\n#### 11<|im_end|>", "student")])

    def test_second_error_on_last_line(self):
        fn = self.scripted_student([
            ("</call>4", ids("\n64-53=11\n#### 12") + [EOS]),
            ("</call>1", [EOS]),
            ("Q", ids("32*2=65\n") + [EOS]),
        ])
        segs = insert_commands([ids("Q")], [self.REF], fn)
        self.assertEqual([(T.decode(s, True), k) for s, k in segs[0]], [
            ("32*2=6", "student"), ("<call>1</call>", "command"), ("4", "teacher"),
            ("\n64-53=11\n#### 1", "student"), ("<call>1</call>", "command"), ("1", "teacher"),
            ("<|im_end|>", "student")])
        example, mask = segments_to_example(ids("Q"), segs[0])
        self.assertEqual(example, ids("Q") + ids("32*2=6<call>1</call>4\n64-53=11\n#### 1<call>1</call>1") + [EOS])
        teacher_positions = [i for i, m in enumerate(mask) if m == 0][1:]  # after the prompt "Q"
        self.assertEqual(T.decode([example[i] for i in teacher_positions], True), "41")

    def test_span_runs_from_the_divergence_to_the_end_of_its_word(self):
        ref = ids("1400*2 1202 4208 =2800\n") + [EOS]
        self.assertEqual(teacher_span(ref, 9, 0), (9, 11))  # "02" of the column "1202"
        self.assertEqual(teacher_span(ref, 18, 0), (18, 22))  # "2800" of the result
        self.assertEqual(teacher_span(ref, 6, 0), (6, 7))  # a space: just that token
        self.assertEqual(teacher_span(ref, 22, 0), (22, 23))  # the newline
        self.assertEqual(teacher_span(ref, 23, 0), (23, 24))  # the end of sequence
        self.assertEqual(first_divergence(ids("12"), ids("12")), None)
        self.assertEqual(first_divergence(ids("1"), ids("12")), 1)
        self.assertEqual(first_divergence(ids("123"), ids("12")), 2)


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
