"""Diagnostic: per-position loss and greedy accuracy of a GGUF model on 48 fresh problems, by kind of
position (restated text, operand copies, column digits per operation, results, Now and #### lines).

    PYTHONPATH=. /usr/bin/python3 training/experiments/position_loss.py models/tiny-teacher.gguf
"""
import sys, random, torch, torch.nn.functional as F
from training import tasks
from training.export import load_gguf_model
from training.train import plain_example, collate
from training.tokenizer import TOKENIZER as T
torch.set_num_threads(1)
m = load_gguf_model(sys.argv[1]); m.eval(); m.cfg.context_length = 384
rng = random.Random(99)
probs = [tasks.make_problem(rng) for _ in range(48)]
ex = [plain_example(p) for p in probs]
x, y, msk = collate(ex, T.pad_id)
with torch.no_grad():
    lp = F.log_softmax(m(x), -1)
cats = {}
for b, p in enumerate(probs):
    ids, mask = ex[b]
    n0 = mask.index(1)
    labels = []
    for li, line in enumerate(p["answer"].split("\n")):
        if li == 0: lab = ["restate"] * len(line)
        elif line.startswith("Now"): lab = ["now"] * len(line)
        elif line.startswith("####"): lab = ["final"] * len(line)
        else:
            c = line.index(": ") + 2
            w = line[c:]
            op = w[4]
            lab = ["restate"] * c + ["opA%d" % min(li, 2)] * 4 + ["op"] + ["opB"] * (len(w.split(" ")[0]) - 5)
            for k in range(4):
                lab += [" ", "colA", "colB", "colC" + op, "colR" + op]
            lab += [" ", "=", ] + ["res"] * 4
            assert len(lab) == len(line), (lab, line)
        labels += lab + ["nl"]
    labels[-1] = "eos"
    for i, lab in enumerate(labels):
        pos = n0 + i - 1
        tok = ids[n0 + i]
        l = -lp[b, pos, tok].item(); ok = lp[b, pos].argmax().item() == tok
        s = cats.setdefault(lab, [0, 0, 0]); s[0] += l; s[1] += ok; s[2] += 1
for k, (l, ok, n) in sorted(cats.items()):
    print("%-8s loss %.3f  greedy-correct %.3f  (n=%d)" % (k, l / n, ok / n, n))
