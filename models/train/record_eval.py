"""Write logs/NAME-eval.json (the model card's "Evaluation" section) from benchmark outputs, so that
every figure there is read from a file a command wrote.

  /usr/bin/python3 models/train/record_eval.py lgc-small --completion /tmp/bench-new.json \
      [--fewshot-completion /tmp/bench-fewshot.json ...] [--pooled /tmp/pooled.json] [--patterns /tmp/patterns.json] \
      [--context /tmp/context.json]

--completion and --fewshot-completion are `npm run bench:completion -- ... --out FILE` outputs,
--pooled is `npm run bench:combine -- DUMPS... --out FILE` (the few-shot runs pooled by line),
--patterns is `npm run bench:fewshot -- ... --out FILE`, --context is eval_context.py's stdout.
"""
import argparse
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def completion_command(args):
    keys = {"files": "--files", "targetsPerSource": "--targets-per-source", "positions": "--positions",
            "keystrokes": "--keystrokes", "lines": "--lines", "open": "--open", "seed": "--seed",
            "fewShotTokens": "--few-shot-tokens", "threads": "--threads", "rows": "--rows"}
    defaults = {"targetsPerSource": 1, "lines": "any", "open": "folder", "seed": 1, "fewShotTokens": 0}
    shown = " ".join(f"{flag} {args[key]}" for key, flag in keys.items() if key in args and args[key] != defaults.get(key))
    return f"npm run bench:completion -- --model MODEL --corpus models/.work/corpus/val-unseen.jsonl {shown}"


def paired_text(c):
    return (f"exact only off {c['onlyFirst']}, only on {c['onlySecond']}, both {c['both']} of {c['pairs']}, "
            f"sign test p {c['signTestP']:.2g}, edit similarity {c['editSimilarityGain']:+.3f}")


def lines_text(c):
    if not c:
        return ""
    return f"; by line ({c['lines']} lines): more exact off {c['onlyFirst']}, on {c['onlySecond']}, p {c['signTestP']:.2g}"


def completion_records(bench, label):
    out = {f"{label}: command": completion_command(bench["args"])}
    for result in bench["results"]:
        s = result["summary"]
        out[f"{label}: {result['config']['name']}"] = (
            f"exact match {100 * s['exactMatch']:.1f}%, edit similarity {s['editSimilarity']:.3f}, "
            f"latency p50 {s['p50Ms']:.0f} ms / p95 {s['p95Ms']:.0f} ms ({s['requests']} requests)")
    for pair in bench.get("paired", []):
        out[f"{label}: few-shot off -> on, {pair['name']}"] = paired_text(pair["comparison"]) + lines_text(pair.get("byLine"))
        for subset in pair.get("subsets", []):
            out[f"{label}: few-shot off -> on, {pair['name']}, {subset['label']}"] = (
                paired_text(subset["comparison"]) + lines_text(subset["byLine"]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("--completion", required=True)
    ap.add_argument("--fewshot-completion", nargs="*", default=[], help="further bench:completion runs (few-shot comparisons)")
    ap.add_argument("--pooled", help="bench:combine --out: few-shot runs pooled, lines as trials")
    ap.add_argument("--patterns")
    ap.add_argument("--context")
    args = ap.parse_args()
    record = {"setup": "held-out files from packages never trained on (models/train/unseen_heldout.py), 4 sibling "
                       "files open, rest-of-line targets, 1 engine thread, int8 model through the extension's pipeline"}
    with open(args.completion) as f:
        record.update(completion_records(json.load(f), "completion"))
    for index, path in enumerate(args.fewshot_completion):
        with open(path) as f:
            record.update(completion_records(json.load(f), "few-shot run" + (f" {index + 1}" if len(args.fewshot_completion) > 1 else "")))
    if args.pooled:
        with open(args.pooled) as f:
            pooled = json.load(f)
        for row in pooled["rows"]:
            c = row["byLine"]
            record[f"few-shot runs pooled ({len(pooled['runs'])} runs, each line once), {row['name']}"] = (
                f"{c['lines']} lines, exact {row['exactLinesOff']} off -> {row['exactLinesOn']} on; "
                f"more exact off {c['onlyFirst']}, on {c['onlySecond']}, sign test p {c['signTestP']:.2g}")
    if args.patterns:
        with open(args.patterns) as f:
            patterns = json.load(f)["models"][0]
        record["few-shot transform patterns (npm run bench:fewshot)"] = (
            f"{patterns['right']} of {sum(len(r['outputs']) for r in patterns['results'])} new inputs exactly right: "
            + "; ".join(f"{r['pattern']} {r['right']}/{len(r['outputs'])}" for r in patterns["results"]))
    if args.context:
        with open(args.context) as f:
            c = json.load(f)
        record["sibling snippets in the prompt (eval_context.py)"] = (
            f"loss {c['loss_without_context']} -> {c['loss_with_context']} over {c['tokens']} tokens of "
            f"{c['documents']} held-out documents; on the {c['copyable_tokens']} tokens only copying can predict "
            f"{c['copyable_loss_without_context']} -> {c['copyable_loss_with_context']}")
    path = os.path.join(HERE, "logs", f"{args.name}-eval.json")
    with open(path, "w") as f:
        json.dump(record, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
