import os
import random
import unittest

from training import tasks

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "models", "data")


def unrev(block):
    """A number written 4 digits wide, least significant first ("6010" -> 106)."""
    assert len(block) == 4 and block.isdigit(), block
    return int(block[::-1])


def check_working(answer):
    lines = answer.split("\n")
    value = int(lines[0].split()[-2])
    for line in lines[1:-2]:
        operands, *cols, result = line.split(": ")[1].split(" ")
        op = next(c for c in "+-*" if c in operands)
        a_text, b_text = operands.split(op)
        a = unrev(a_text)
        b = int(b_text) if op == "*" else unrev(b_text)
        if a != value:
            raise AssertionError("line does not continue from the previous result: " + line)
        value = {"+": a + b, "-": a - b, "*": a * b}[op]
        carry = 0
        for k, col in enumerate(cols):  # a digit, b digit (or multiplier), carry in, result digit
            da, db, c, r = (int(ch) for ch in col)
            if (da, db, c) != (a // 10 ** k % 10, b if op == "*" else b // 10 ** k % 10, carry):
                raise AssertionError("column %d does not read its digits: %s" % (k, line))
            t = {"+": da + db + c, "-": da - db - c, "*": da * db + c}[op]
            if r != t % 10:
                raise AssertionError("column %d is wrong: %s" % (k, line))
            carry = (1 if t < 0 else 0) if op == "-" else t // 10
        if len(cols) != 4 or result != "=" + tasks.rev4(value) or unrev(result[1:]) != value:
            raise AssertionError("wrong arithmetic: " + line)
    if lines[-2] != "Now: %04d" % value:
        raise AssertionError("the Now line does not give the last result: " + lines[-2])
    return value


class TasksTest(unittest.TestCase):
    def test_generator_is_seeded(self):
        a = [tasks.make_problem(random.Random(7)) for _ in range(3)]
        b = [tasks.make_problem(random.Random(7)) for _ in range(3)]
        self.assertEqual(a, b)

    def test_answers_are_consistent_and_gsm8k_formatted(self):
        rng = random.Random(3)
        for _ in range(500):
            p = tasks.make_problem(rng)
            self.assertRegex(p["answer"], r"\n#### \d+$")
            steps = p["answer"].count("\n") - 2
            self.assertIn(steps, (2, 3))
            value = check_working(p["answer"])
            self.assertEqual(tasks.final_answer(p["answer"]), value)
            self.assertGreater(value, 0)
            self.assertLess(value, 10000)
            self.assertTrue(p["question"].endswith("?"))
            self.assertTrue(p["question"].startswith(p["answer"].split("\n")[0]))

    def test_working_is_four_digits_least_significant_first(self):
        self.assertEqual(tasks.rev4(106), "6010")
        self.assertEqual(tasks.rev4(41), "1400")
        self.assertEqual(tasks.rev4(1296), "6921")
        p = tasks.make_problem(random.Random(5))
        self.assertRegex(p["answer"], r"^[^\n]+\.\n([^\n]+: \d{4}[-+*]\d+( \d{4}){4} =\d{4}\n){2,3}Now: \d{4}\n#### [1-9]\d*$")
        self.assertEqual(tasks.working(106, "-", 65), "6010-5600 6501 0604 1010 0000 =1400")
        self.assertEqual(tasks.working(41, "*", 2), "1400*2 1202 4208 0200 0200 =2800")
        self.assertEqual(tasks.flat_working(106, "-", 65), "6010-5600=1400")

    def test_drills_have_only_the_computed_part_in_the_loss(self):
        segs = tasks.drill_segments(random.Random(2), lines=5)
        self.assertEqual(len(segs), 10)
        for (given, g_loss), (computed, c_loss) in zip(segs[0::2], segs[1::2]):
            self.assertRegex(given, r"^: \d{4}[-+*]\d+$")
            self.assertRegex(computed, r"^( \d{4}){4} =\d{4}\n$")
            self.assertEqual((g_loss, c_loss), (False, True))

    def test_final_answer_parsing(self):
        self.assertEqual(tasks.final_answer("1+2=3\n#### 3"), 3)
        self.assertEqual(tasks.final_answer("#### 1,234"), 1234)
        self.assertIsNone(tasks.final_answer("1+2=3"))
        self.assertIsNone(tasks.final_answer("#### x"))
        self.assertIsNone(tasks.final_answer(None))

    def test_heldout_files_are_reproducible_and_disjoint_from_training(self):
        heldout, smoke = tasks.heldout_and_smoke(1)
        self.assertEqual(tasks.read_jsonl(os.path.join(DATA, "heldout.jsonl")), heldout)
        self.assertEqual(tasks.read_jsonl(os.path.join(DATA, "smoke.jsonl")), smoke)
        self.assertGreaterEqual(len(heldout), 500)
        self.assertEqual(len(smoke), 20)
        excluded = {p["question"] for p in heldout + smoke}
        self.assertEqual(len(excluded), len(heldout) + len(smoke))
        stream = tasks.training_stream(1001, excluded)
        for _ in range(2000):
            self.assertNotIn(next(stream)["question"], excluded)


if __name__ == "__main__":
    unittest.main()
