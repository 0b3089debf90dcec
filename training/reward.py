"""The RelayLLM rewards of the GRPO stage, one group (the samples of one problem) at a time.

This module has no dependency beyond the standard library, so that an RL engine (verl, TRL) can
import it as it is (docs/training.md); the toy GRPO of `training/grpo.py` uses the same functions.
The cases it must satisfy are data, `training/tests/reward_cases.json`, shared by every test.

Difficulty is decided per problem group (the paper's released code decided it over the whole
batch, which mixes problems):

- student-solvable: some sample of the group is correct without a teacher call;
- teacher-dependent: not student-solvable, and some sample is correct (so only with calls);
- unsolved: no sample is correct.

Difficulty-aware reward of one sample (call ratio = teacher tokens / all generated tokens):

| difficulty | correct, no call | correct, calls | wrong, no call | wrong, calls |
|---|---|---|---|---|
| student-solvable | 1.5 | 1 - call ratio | 0 | 0 |
| teacher-dependent | (cannot happen) | 1 - call ratio | -1.0 | 0 |
| unsolved | (cannot happen) | (cannot happen) | 0 | call ratio |

The simple variant (for the ablation) is accuracy - call ratio, whatever the group.

"With calls" means the teacher was called at least once (a `<call>N</call>` that the relay carried
out); a command with N = 0 is no call (DESIGN section 2). The call ratio counts the tokens the
teacher actually wrote, which the relay caps at `max_call_tokens` per call and at the remaining
answer budget -- so a student cannot buy reward by asking for more than it gets.
"""
from dataclasses import dataclass

STUDENT_SOLVABLE = "student-solvable"
TEACHER_DEPENDENT = "teacher-dependent"
UNSOLVED = "unsolved"

SOLO_CORRECT_REWARD = 1.5
WRONG_WITHOUT_CALL_PENALTY = -1.0


@dataclass(frozen=True)
class Sample:
    """One relay answer: graded, with the tokens each model generated and the teacher calls made."""
    correct: bool
    student_tokens: int
    teacher_tokens: int
    calls: int

    def __post_init__(self):
        if self.student_tokens < 0 or self.teacher_tokens < 0 or self.calls < 0:
            raise ValueError("token and call counts must be >= 0: %r" % (self,))
        if self.teacher_tokens > 0 and self.calls == 0:
            raise ValueError("teacher tokens without a call: %r" % (self,))

    @property
    def called(self):
        return self.calls > 0

    @property
    def call_ratio(self):
        total = self.student_tokens + self.teacher_tokens
        return self.teacher_tokens / total if total else 0.0


def difficulty(group):
    """The difficulty class of one problem from its group of samples."""
    if not group:
        raise ValueError("a group needs at least one sample")
    if any(s.correct and not s.called for s in group):
        return STUDENT_SOLVABLE
    if any(s.correct for s in group):
        return TEACHER_DEPENDENT
    return UNSOLVED


def difficulty_aware_reward(sample, level):
    if level == STUDENT_SOLVABLE:
        if not sample.correct:
            return 0.0
        return SOLO_CORRECT_REWARD if not sample.called else 1.0 - sample.call_ratio
    if level == TEACHER_DEPENDENT:
        if sample.correct:
            return 1.0 - sample.call_ratio
        return 0.0 if sample.called else WRONG_WITHOUT_CALL_PENALTY
    if level == UNSOLVED:
        return sample.call_ratio if sample.called else 0.0
    raise ValueError("unknown difficulty %r" % (level,))


def difficulty_aware_rewards(group):
    """Rewards of one group (all samples of one problem), in order."""
    level = difficulty(group)
    return [difficulty_aware_reward(s, level) for s in group]


def simple_rewards(group):
    """The ablation: accuracy - call ratio per sample."""
    return [(1.0 if s.correct else 0.0) - s.call_ratio for s in group]


REWARDS = {"difficulty-aware": difficulty_aware_rewards, "simple": simple_rewards}


def group_advantages(rewards, eps=1e-6):
    """GRPO advantages: rewards standardised within the group (all zero when they are all equal)."""
    n = len(rewards)
    mean = sum(rewards) / n
    std = (sum((r - mean) ** 2 for r in rewards) / n) ** 0.5
    return [(r - mean) / (std + eps) if std > eps else 0.0 for r in rewards]


def rewards_by_group(samples, group_ids, variant="difficulty-aware"):
    """Rewards for a flat batch whose samples carry a group id (verl's `uid`, one per prompt):
    difficulty is decided within each group, never across the batch. Returns rewards in input order."""
    if len(samples) != len(group_ids):
        raise ValueError("%d samples but %d group ids" % (len(samples), len(group_ids)))
    fn = REWARDS[variant]
    groups = {}
    for i, g in enumerate(group_ids):
        groups.setdefault(g, []).append(i)
    out = [0.0] * len(samples)
    for idx in groups.values():
        for i, r in zip(idx, fn([samples[i] for i in idx])):
            out[i] = r
    return out
