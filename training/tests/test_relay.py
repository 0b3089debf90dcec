import unittest

from training.relay import (TEACHER, command_ids, insert_commands, parse_command, relay_rollouts,
                            segments_to_example, strip_commands, teacher_span)
from training.tests.fakes import Scripted
from training.tokenizer import TOKENIZER as T, prompt_ids

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
    def test_student_command_teacher_span_then_student_finishes(self):
        prompt = ids("P")
        student = Scripted(["1+1=<call>2</call>", "\n#### 2<|im_end|>"])
        teacher = Scripted(["2\nXYZ"])
        r = relay_rollouts(student, teacher, [prompt], temperature=0.0)[0]
        self.assertEqual(r["text"], "1+1=2\n\n#### 2")
        self.assertEqual(teacher.calls[0], (prompt + ids("1+1="), 2))  # commands stripped, N respected
        self.assertEqual(student.calls[1][0], prompt + ids("1+1=<call>2</call>2\n"))  # student keeps its command
        self.assertEqual((r["student_tokens"], r["teacher_tokens"], r["rounds"], r["finish"]),
                         (len(ids("1+1=<call>2</call>")) + len(ids("\n#### 2")), 2, 1, "eos"))

    def test_teacher_eos_ends_the_answer(self):
        student = Scripted(["<call>9</call>"])
        teacher = Scripted(["#### 5<|im_end|>"])
        r = relay_rollouts(student, teacher, [ids("P")], temperature=0.0)[0]
        self.assertEqual(r["text"], "#### 5")
        self.assertEqual(len(student.calls), 1)
        self.assertEqual((r["teacher_tokens"], r["finish"]), (6, "eos"))

    def test_n_is_clamped_and_invalid_n_uses_default_and_zero_means_no_call(self):
        student = Scripted(["<call>999</call>", "<call>x</call>", "<call>0</call>", "<|im_end|>"])
        teacher = Scripted(["a", "b"])
        r = relay_rollouts(student, teacher, [ids("P")], temperature=0.0, max_call_tokens=7, default_call_tokens=3)[0]
        self.assertEqual([n for _, n in teacher.calls], [7, 3])
        self.assertEqual(r["rounds"], 2)
        self.assertEqual(r["text"], "ab")

    def test_budget_limits_the_answer(self):
        student = Scripted(["abcdefgh"])
        teacher = Scripted([])
        r = relay_rollouts(student, teacher, [ids("P")], temperature=0.0, max_tokens=5)[0]
        self.assertEqual(r["text"], "abcde")
        self.assertEqual(r["finish"], "length")

    def test_teacher_span_is_marked_capped_and_stripped_from_its_context(self):
        # given a student that asks for 99 tokens and a teacher that has more to say
        student = Scripted(["1+1=<call>99</call>", " ok<|im_end|>"])
        teacher = Scripted(["2" * 10])
        prompt = prompt_ids("q")
        # when the relay runs with a cap of 4 tokens per call
        r = relay_rollouts(student, teacher, [prompt], max_call_tokens=4)[0]
        # then the teacher wrote 4 tokens, saw the text without the command, and the kinds tell who wrote what
        self.assertEqual(teacher.calls[0], (prompt + T.encode("1+1="), 4))
        self.assertEqual(r["text"], "1+1=2222 ok")
        self.assertEqual(r["teacher_tokens"], 4)
        self.assertEqual(r["rounds"], 1)
        self.assertEqual(r["student_tokens"], len(T.encode("1+1=<call>99</call>", parse_special=True)) + 3)
        self.assertEqual([k for k in r["kinds"] if k == TEACHER], [TEACHER] * 4)
        self.assertEqual(len(r["kinds"]), len(r["ids"]))
        self.assertEqual(r["finish"], "eos")
        # and the student's second call continued from the transcript with the command kept
        self.assertEqual(student.calls[1][0], prompt + T.encode("1+1=<call>99</call>2222", parse_special=True))

    def test_teacher_eos_ends_the_answer_and_zero_calls_are_no_calls(self):
        student = Scripted(["a<call>0</call>", "b<call>3</call>"])
        teacher = Scripted(["c<|im_end|>"])
        r = relay_rollouts(student, teacher, [prompt_ids("q")])[0]
        self.assertEqual(r["text"], "abc")
        self.assertEqual(r["rounds"], 1)
        self.assertEqual(r["finish"], "eos")

    def test_budget_limits_student_and_teacher_together(self):
        student = Scripted(["ab<call>50</call>", "zzzzzzzzzzzzzzzzzzzz"])
        teacher = Scripted(["x" * 50])
        r = relay_rollouts(student, teacher, [prompt_ids("q")], max_tokens=12)[0]
        self.assertEqual(r["student_tokens"] + r["teacher_tokens"], 12)
        self.assertEqual(r["finish"], "length")

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
