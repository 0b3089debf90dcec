import json
import os
import unittest

from training import reward
from training.reward import Sample

CASES = os.path.join(os.path.dirname(__file__), "reward_cases.json")


def load_cases():
    with open(CASES, encoding="utf-8") as f:
        return json.load(f)["cases"]


def group_of(case):
    return [Sample(bool(c), s, t, n) for c, s, t, n in case["group"]]


class RewardCasesTest(unittest.TestCase):
    def test_every_case(self):
        cases = load_cases()
        self.assertGreaterEqual(len(cases), 8)
        for case in cases:
            with self.subTest(case["name"]):
                group = group_of(case)
                self.assertEqual(reward.difficulty(group), case["difficulty"])
                for got, want in zip(reward.difficulty_aware_rewards(group), case["difficulty_aware"]):
                    self.assertAlmostEqual(got, want, places=9)
                for got, want in zip(reward.simple_rewards(group), case["simple"]):
                    self.assertAlmostEqual(got, want, places=9)

    def test_difficulty_is_decided_per_group_not_per_batch(self):
        # given two problems in one batch: A solved solo by one sample, B only with calls
        solo_a = Sample(True, 100, 0, 0)
        wrong_b = Sample(False, 100, 0, 0)
        called_b = Sample(True, 80, 20, 1)
        batch = [solo_a, wrong_b, called_b, Sample(False, 100, 0, 0)]
        # when rewarded with their group ids
        rewards = reward.rewards_by_group(batch, ["A", "B", "B", "A"])
        # then B's solo wrong answer is punished (teacher-dependent) and A's is not (student-solvable);
        # a batch-wide decision would call everything student-solvable and give wrong_b 0
        self.assertEqual(rewards, [1.5, -1.0, 0.8, 0.0])

    def test_advantages_are_standardised_within_the_group(self):
        adv = reward.group_advantages([1.5, 0.0, 0.0, 1.5])
        self.assertAlmostEqual(sum(adv), 0.0)
        self.assertAlmostEqual(adv[0], 1.0, places=5)
        self.assertEqual(reward.group_advantages([0.3, 0.3, 0.3]), [0.0, 0.0, 0.0])

    def test_inconsistent_samples_are_rejected(self):
        with self.assertRaises(ValueError):
            Sample(True, 10, 5, 0)
        with self.assertRaises(ValueError):
            Sample(True, -1, 0, 0)
        with self.assertRaises(ValueError):
            reward.difficulty([])
        with self.assertRaises(ValueError):
            reward.rewards_by_group([Sample(True, 1, 0, 0)], [])


if __name__ == "__main__":
    unittest.main()
