"""Checks test.jsonl, tuning.jsonl and blind-*.jsonl: keys, labels, sections and FAQ ids exist,
no duplicated question text, coverage of evidence sections and FAQ ids. Exit 1 on any error."""
import json, re, glob, os, sys, difflib, collections
import argparse
import yaml
HERE=os.path.dirname(os.path.abspath(__file__))
ap=argparse.ArgumentParser(description="Validate the labelled patient-question files against the knowledge files.")
ap.add_argument("--knowledge", default=os.path.join(HERE,"..","..","..","knowledge"), help="folder with *.md and faq.yaml")
args=ap.parse_args()
K=args.knowledge; Q=HERE
heads={}; roles={}
for p in glob.glob(K+"/*.md"):
    t=open(p).read(); n=os.path.basename(p)
    heads[n]=set(m.group(1).strip() for m in re.finditer(r"^## (.+)$",t,re.M))
    m=re.search(r"^role:\s*(\w+)",t,re.M)
    if not m: sys.exit(f"{p}: no 'role:' in front matter (is --knowledge the merged knowledge folder?)")
    roles[n]=m.group(1)
faq=yaml.safe_load(open(K+"/faq.yaml"))["entries"]
faqids={e["id"] for e in faq}
faqtexts={x.lower().strip() for e in faq for x in [e["question"]]+e.get("alternates",[])}
KEYS={"id","history","question","expect","sections","parts","faq","evidence","group"}
GROUPS={"short","typo","lay","compound","polite","follow_up","uncovered","off_topic","evidence_risk","plain"}
errs=[]; warn=[]; files={}
ids=set()
for fn in ["test.jsonl","tuning.jsonl"]+sorted(os.path.basename(p) for p in glob.glob(HERE+"/blind-*.jsonl")):
    path=f"{Q}/{fn}"
    if not os.path.exists(path): continue
    items=[]
    for ln,line in enumerate(open(path),1):
        try: o=json.loads(line)
        except Exception as e: errs.append(f"{fn}:{ln} parse {e}"); continue
        if set(o)!=KEYS: errs.append(f"{fn}:{ln} keys {set(o)^KEYS}")
        if o["id"] in ids: errs.append(f"dup id {o['id']}")
        ids.add(o["id"])
        h=o["history"]
        if not (isinstance(h,list) and len(h)<=2 and all(isinstance(x,str) and x for x in h)): errs.append(f"{o['id']} history")
        if o["group"] not in GROUPS: errs.append(f"{o['id']} group")
        if not isinstance(o["evidence"],bool): errs.append(f"{o['id']} evidence")
        if o["expect"] not in ("answer","no_answer","out_of_scope"): errs.append(f"{o['id']} expect")
        for d,hd in o["sections"]+[s for p in o["parts"] for s in p]:
            if d not in heads or hd not in heads[d]: errs.append(f"{o['id']} bad section {d} / {hd}")
        if o["faq"] is not None and o["faq"] not in faqids: errs.append(f"{o['id']} faq {o['faq']}")
        if o["expect"]=="answer":
            if not o["sections"]: errs.append(f"{o['id']} empty sections")
            if o["evidence"] and all(roles[d]=="claims" for d,_ in o["sections"]): errs.append(f"{o['id']} evidence question with only claims sections")
        else:
            if o["sections"] or o["parts"] or o["faq"]: errs.append(f"{o['id']} non-answer with sections/parts/faq")
        if o["group"]=="compound":
            if o["expect"]!="answer" or not o["parts"]: errs.append(f"{o['id']} compound w/o parts")
            u=[]; [u.append(s) for p in o["parts"] for s in p if s not in u]
            if sorted(map(tuple,u))!=sorted(map(tuple,o["sections"])): errs.append(f"{o['id']} sections != union(parts)")
        elif o["parts"]: errs.append(f"{o['id']} parts outside compound")
        if o["group"]=="follow_up" and not h: errs.append(f"{o['id']} follow_up without history")
        if o["group"]!="follow_up" and h: warn.append(f"{o['id']} history outside follow_up")
        if o["group"]=="uncovered" and o["expect"]!="no_answer": errs.append(f"{o['id']} uncovered not no_answer")
        if o["group"]=="off_topic" and o["expect"]!="out_of_scope": errs.append(f"{o['id']} off_topic not oos")
        if o["group"]=="short" and len(o["question"].split())>4: errs.append(f"{o['id']} short too long")
        if o["question"].lower().strip() in faqtexts: warn.append(f"{o['id']} is verbatim FAQ text: {o['question']}")
        items.append(o)
    files[fn]=items
# duplicates
allq=collections.Counter(o["question"].lower().strip() for it in files.values() for o in it)
for q,c in allq.items():
    if c>1: errs.append(f"duplicated question text: {q}")
if "tuning.jsonl" in files and "test.jsonl" in files:
    tq=[o["question"].lower() for o in files["tuning.jsonl"]]
    for o in files["test.jsonl"]:
        a=o["question"].lower()
        best=max(tq,key=lambda b: difflib.SequenceMatcher(None,a,b).ratio())
        r=difflib.SequenceMatcher(None,a,best).ratio()
        if r>=0.72: warn.append(f"near-dup {o['id']} ({r:.2f}): {a!r} ~ {best!r}")
# coverage
cov=collections.defaultdict(set)
for fn,it in files.items():
    for o in it:
        for d,hd in o["sections"]: cov[(d,hd)].add(fn)
for d in sorted(heads):
    for hd in sorted(heads[d]):
        fs=cov.get((d,hd),set())
        if roles[d]=="evidence" and not fs: errs.append(f"uncovered section {d} / {hd}")
        elif roles[d]=="evidence" and "test.jsonl" not in fs: warn.append(f"section not in test: {d} / {hd}")
fcov=collections.defaultdict(set)
for fn,it in files.items():
    for o in it:
        if o["faq"]: fcov[o["faq"]].add(fn)
for f in sorted(faqids):
    if f not in fcov: errs.append(f"faq never used: {f}")
    elif "test.jsonl" not in fcov[f]: warn.append(f"faq not in test: {f}")
for fn,it in files.items():
    c=collections.Counter((o["group"],o["expect"]) for o in it)
    g=collections.Counter(o["group"] for o in it)
    print(fn,len(it),dict(sorted(g.items())))
    for k in sorted(c): print("   ",k,c[k])
print("WARN"); [print(" ",w) for w in warn]
print("ERRORS",len(errs)); [print(" ",e) for e in errs]
sys.exit(1 if errs else 0)
