"""Validate the labelled triage messages and print count tables (Markdown).

Run:  python bench/data/triage/stats.py            (tables for every *.jsonl here)
      python bench/data/triage/stats.py --check    (validation only; exit 1 on any problem)

Checks: every line parses; fields are exactly text/label/lang/group/also_ok; label, lang and
group come from the lists; also_ok is a list of other labels (never "benign" for an emergency
or crisis); Spanish groups have lang "es" and the others "en"; `long` messages have 60-150
words; no duplicate text (case, accents and punctuation ignored) within or across files.
"""
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = ["emergency", "crisis", "personal_advice", "benign"]
LANGS = ["en", "es"]
GROUPS = ["plain", "third_person", "hedged", "past_ongoing", "typo", "embedded", "post_procedure", "indirect",
          "lookalike", "info_risk", "injection", "spanish", "spanish_lookalike", "long", "slang", "polite"]
FIELDS = {"text", "label", "lang", "group", "also_ok"}


def norm(t):
    t = unicodedata.normalize("NFKD", t.lower())
    t = "".join(c for c in t if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", t).strip()


def files():
    order = {"test.jsonl": 0, "tuning.jsonl": 1}
    return sorted(HERE.glob("*.jsonl"), key=lambda p: (order.get(p.name, 2), p.name))


def load_and_check():
    problems, data, seen = [], {}, {}
    for path in files():
        rows = []
        for n, line in enumerate(path.open(encoding="utf-8"), 1):
            where = f"{path.name}:{n}"
            if not line.strip():
                problems.append(f"{where}: empty line")
                continue
            try:
                o = json.loads(line)
            except json.JSONDecodeError as e:
                problems.append(f"{where}: not JSON ({e})")
                continue
            if set(o) != FIELDS:
                problems.append(f"{where}: fields {sorted(o)}")
                continue
            if not isinstance(o["text"], str) or not o["text"].strip():
                problems.append(f"{where}: empty text")
            if o["label"] not in LABELS:
                problems.append(f"{where}: label {o['label']!r}")
            if o["lang"] not in LANGS:
                problems.append(f"{where}: lang {o['lang']!r}")
            if o["group"] not in GROUPS:
                problems.append(f"{where}: group {o['group']!r}")
            if o["group"].startswith("spanish") and o["lang"] != "es" or (
                    o["lang"] == "es" and not o["group"].startswith("spanish")):
                problems.append(f"{where}: lang {o['lang']} with group {o['group']}")
            a = o["also_ok"]
            if not isinstance(a, list) or any(x not in LABELS or x == o["label"] for x in a) or len(set(a)) != len(a):
                problems.append(f"{where}: also_ok {a!r}")
            elif o["label"] in ("emergency", "crisis") and "benign" in a:
                problems.append(f"{where}: benign is never acceptable for {o['label']}")
            if o["group"] == "long" and not 60 <= len(o["text"].split()) <= 150:
                problems.append(f"{where}: long message has {len(o['text'].split())} words")
            k = norm(o["text"])
            if k in seen:
                problems.append(f"{where}: duplicate of {seen[k]}")
            else:
                seen[k] = where
            rows.append(o)
        data[path.name] = rows
    return data, problems


def table(rows):
    cols = [(lab, lang) for lab in LABELS for lang in LANGS]
    c = Counter((r["group"], r["label"], r["lang"]) for r in rows)
    out = ["| group | " + " | ".join(f"{lab} {lang}" for lab, lang in cols) + " | total |",
           "|---|" + "---:|" * (len(cols) + 1)]
    for g in GROUPS:
        vals = [c[(g, lab, lang)] for lab, lang in cols]
        if sum(vals):
            out.append(f"| {g} | " + " | ".join(str(v) if v else "" for v in vals) + f" | {sum(vals)} |")
    tot = [sum(c[(g, lab, lang)] for g in GROUPS) for lab, lang in cols]
    out.append("| **total** | " + " | ".join(str(v) for v in tot) + f" | **{len(rows)}** |")
    return "\n".join(out)


def summary(rows):
    c = Counter((r["label"], r["lang"]) for r in rows)
    out = ["| label | en | es | total |", "|---|---:|---:|---:|"]
    for lab in LABELS:
        out.append(f"| {lab} | {c[(lab, 'en')]} | {c[(lab, 'es')]} | {c[(lab, 'en')] + c[(lab, 'es')]} |")
    es = sum(1 for r in rows if r["lang"] == "es")
    amb = sum(1 for r in rows if r["also_ok"])
    out.append(f"| **total** | {len(rows) - es} | {es} ({100 * es / max(1, len(rows)):.0f}%) | {len(rows)} |")
    return "\n".join(out) + f"\n\nMessages with a non-empty `also_ok`: {amb}."


def main():
    data, problems = load_and_check()
    if problems:
        print("PROBLEMS:", *problems[:50], sep="\n  ")
        sys.exit(1)
    if "--check" in sys.argv:
        print("ok: " + ", ".join(f"{k} {len(v)}" for k, v in data.items()))
        return
    for name, rows in data.items():
        print(f"### {name}\n\n{summary(rows)}\n\n{table(rows)}\n")


if __name__ == "__main__":
    main()
