import os
import random
import unittest

from training import tasks

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "models", "data")


def check_working(answer):
    lines = answer.split("\n")
    value = int(lines[0].split()[-2])
    for line in lines[1:-1]:
        lhs, rhs = line.split(": ")[1].split("=")
        op = next(c for c in "+-*" if c in lhs)
        a, b = (int(x) for x in lhs.split(op))
        if value is not None and a != value:
            raise AssertionError("line does not continue from the previous result: " + line)
        value = {"+": a + b, "-": a - b, "*": a * b}[op]
        if value != int(rhs):
            raise AssertionError("wrong arithmetic: " + line)
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
            steps = p["answer"].count("\n") - 1
            self.assertIn(steps, (2, 3))
            value = check_working(p["answer"])
            self.assertEqual(tasks.final_answer(p["answer"]), value)
            self.assertGreater(value, 0)
            self.assertLess(value, 10000)
            self.assertTrue(p["question"].endswith("?"))
            self.assertTrue(p["question"].startswith(p["answer"].split("\n")[0]))

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
