#!/usr/bin/env python3
"""Scores many (reference, candidate) pairs in one process with the shared scorer's own
functions (../shared/tools/score: word recall / precision / F1 / order), so the measure is
exactly the scorer's. Reads {"scorer": PATH, "pairs": [[REF, CAND], ...]} on stdin and prints a
JSON list of {"recall", "precision", "f1", "order", "ref_tokens", "cand_tokens"} (null for a
pair whose reference or candidate is missing)."""
import importlib.machinery, importlib.util, json, os, sys

def main():
    job = json.load(sys.stdin)
    loader = importlib.machinery.SourceFileLoader('pith_bench_score', job['scorer'])
    spec = importlib.util.spec_from_loader(loader.name, loader)
    score = importlib.util.module_from_spec(spec)
    loader.exec_module(score)
    out = []
    for ref, cand in job['pairs']:
        if not (os.path.isfile(ref) and os.path.isfile(cand)):
            out.append(None)
            continue
        out.append(score.score_files(ref, cand, 5000))
    json.dump(out, sys.stdout)

if __name__ == '__main__':
    main()
