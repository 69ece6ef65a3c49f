"""How much a checkpoint learns from repository context in its prompt: the few-shot snippets of
issue 5, measured as loss so that progress shows long before exact match moves.

For held-out documents (val-unseen) of packages with other files, the first --tokens tokens of a
document are scored twice: after the sibling snippets that repo_context picks (the extension's
format, <|file_sep|>path, window, <|endoftext|>) and with nothing before the document's path.
Reported: mean loss over all scored tokens, and over "copyable" tokens, whose bigram (previous
token, token) occurs in the snippets but not earlier in the document: what only copying from the
context can predict. Snippets are chosen with the document's own text as the query, as training
data is; the question asked is whether the model uses them, not how well they are chosen.

  /usr/bin/python3 models/train/eval_context.py models/train/checkpoints/lgc-small.pt --docs 300
"""
import argparse
import json
import os
import random
import sys
import zlib

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lgc import bpe, fim, repo_context  # noqa: E402
from lgc.checkpoint import load_model  # noqa: E402
from lgc.corpus import TOKENIZER_PATH, iter_docs  # noqa: E402
from prepare_data import by_source  # noqa: E402


def copyable_positions(context, body):
    """Indices i of body[1:] (targets of position i) whose bigram (body[i], body[i+1]) occurs in
    `context` and not earlier in `body`: tokens only copying from the context can predict."""
    in_context = set(zip(context, context[1:]))
    seen, out = set(), []
    for i in range(len(body) - 1):
        pair = (body[i], body[i + 1])
        if pair in in_context and pair not in seen:
            out.append(i)
        seen.add(pair)
    return out


def documents_with_siblings(source, limit):
    """(doc, siblings as repo_context windows) for the first `limit` documents with siblings,
    grouped by package as prepare_data groups them."""
    out = []
    for docs in by_source(iter_docs(source)):
        if len(out) >= limit:
            break
        if len(docs) < 2:
            continue
        windowed = [(d["path"], repo_context.windows(d["text"])) for d in docs]
        out += [(doc, windowed[:index] + windowed[index + 1:]) for index, doc in enumerate(docs)]
    return out[:limit]


@torch.no_grad()
def token_losses(model, ids):
    logits, _ = model(torch.tensor([ids[:-1]]))
    return F.cross_entropy(logits[0].float(), torch.tensor(ids[1:]), reduction="none").tolist()


def score(model, encoder, doc, siblings, args):
    rng = random.Random(zlib.crc32(f"{doc['source']}/{doc['path']}".encode("utf-8")))
    snippets = repo_context.pick_snippets(doc["text"], siblings, rng)
    if not snippets:
        return None
    context = encoder.encode(repo_context.context_text(snippets))[-args.context_tokens:]
    body = encoder.encode(f"{fim.FILE_SEP}{doc['path']}\n{doc['text']}")[:args.tokens + 1]
    with_context = token_losses(model, context + body)[len(context):]
    without = token_losses(model, body)
    return with_context, without, copyable_positions(context, body)


def mean(values):
    return sum(values) / max(1, len(values))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoint")
    ap.add_argument("--source", default="val-unseen")
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--tokens", type=int, default=200, help="document tokens scored")
    ap.add_argument("--context-tokens", type=int, default=300, help="at most this many snippet tokens (the tail)")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    model, ckpt = load_model(args.checkpoint)
    model.eval()
    with open(TOKENIZER_PATH, encoding="utf-8") as f:
        encoder = bpe.Encoder(bpe.truncated(json.load(f), model.cfg.vocab_size))
    rows = [score(model, encoder, doc, siblings, args) for doc, siblings in documents_with_siblings(args.source, args.docs)]
    rows = [r for r in rows if r]
    all_with = [x for w, _, _ in rows for x in w]
    all_without = [x for _, wo, _ in rows for x in wo]
    copy_with = [w[i] for w, _, c in rows for i in c]
    copy_without = [wo[i] for _, wo, c in rows for i in c]
    docs_helped = [mean([w[i] for i in c]) < mean([wo[i] for i in c]) for w, wo, c in rows if c]
    print(json.dumps({
        "checkpoint": args.checkpoint, "tokens_trained": ckpt.get("state", {}).get("tokens"),
        "documents": len(rows), "tokens": len(all_with),
        "loss_without_context": round(mean(all_without), 4), "loss_with_context": round(mean(all_with), 4),
        "copyable_tokens": len(copy_with),
        "copyable_loss_without_context": round(mean(copy_without), 4),
        "copyable_loss_with_context": round(mean(copy_with), 4),
        "documents_where_context_lowers_copyable_loss": f"{sum(docs_helped)}/{len(docs_helped)}",
    }, indent=1))


if __name__ == "__main__":
    main()
