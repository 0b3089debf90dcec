"""Writes the shared GSM8K test and MATH-500 files again in the layouts of the other public benchmark files, so
that relay-eval's grading of those layouts can be measured on real references (docs/benchmarks.md, "Grading").

    python3 relay-eval/scripts/shared_layouts.py /work/shared/datasets /tmp/layouts

writes into the output folder:
  math500_answer_only.jsonl   problem, answer, unique_id: no solution text (as AIME/AMC files without one)
  math500_olympiad.json       a JSON array in OlympiadBench's layout: question, final_answer ["$answer$"], id
  math500_olympiad.jsonl      the same records as JSON Lines (the Qwen2.5-Math evaluation's OlympiadBench file)
  gsm8k_amc.jsonl             question, answer as a JSON number (AMC's 72.0), id
  gsm8k_aime.jsonl            question, answer as a zero-padded string (AIME's "072"; negatives kept as they are), id
"""
import json
import os
import sys


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(shared, out):
    os.makedirs(out, exist_ok=True)
    math500 = read_jsonl(os.path.join(shared, "math500_test.jsonl"))
    write_jsonl(os.path.join(out, "math500_answer_only.jsonl"),
                [{"problem": r["problem"], "answer": r["answer"], "unique_id": r["unique_id"]} for r in math500])
    olympiad = [{"id": r["unique_id"], "question": r["problem"], "final_answer": ["$" + r["answer"] + "$"],
                 "is_multiple_answer": False, "unit": None} for r in math500]
    with open(os.path.join(out, "math500_olympiad.json"), "w", encoding="utf-8") as f:
        json.dump(olympiad, f, ensure_ascii=False, indent=1)
    write_jsonl(os.path.join(out, "math500_olympiad.jsonl"), olympiad)
    gsm8k = read_jsonl(os.path.join(shared, "gsm8k_test.jsonl"))
    amc, aime = [], []
    for i, r in enumerate(gsm8k):
        answer = r["answer"].split("####")[-1].strip().replace(",", "")
        amc.append({"id": i, "question": r["question"], "answer": float(answer)})
        aime.append({"id": i, "question": r["question"], "answer": answer.zfill(3) if answer.isdigit() else answer})
    write_jsonl(os.path.join(out, "gsm8k_amc.jsonl"), amc)
    write_jsonl(os.path.join(out, "gsm8k_aime.jsonl"), aime)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
