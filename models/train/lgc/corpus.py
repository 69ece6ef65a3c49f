"""Reading the corpus contract written by corpus/build_corpus.py (one JSON document per line)."""
import json
import os

WORK = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), ".work")
CORPUS_DIR = os.path.join(WORK, "corpus")
# Committed: checkpoints depend on the exact merge list, so the tokenizer is never retrained silently.
TOKENIZER_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tokenizer", "tokenizer.json")


def iter_docs(split, corpus_dir=CORPUS_DIR):
    with open(os.path.join(corpus_dir, f"{split}.jsonl"), encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)
