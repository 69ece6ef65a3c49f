#!/usr/bin/python3
"""Build the code corpus: licence filter, quality filters, dedupe, split, caps, output.

Runs under Debian's /usr/bin/python3 with only the stdlib, numpy and regex.
Inputs (all local, fetched by fetch_npm.sh / fetch_debian.sh):
  models/.work/corpus/npm/tgz/*.tgz        npm tarballs pinned in npm-packages.txt
  models/.work/corpus/deb/root/...         Debian packages unpacked with dpkg-deb -x
  /usr/lib/python3.11                      Debian's Python standard library
Outputs (written atomically, temp name then rename):
  models/.work/corpus/{train,val}.jsonl, stats.json, READY
  models/train/corpus/manifest.tsv
"""
import argparse
import hashlib
import json
import multiprocessing as mp
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict

if os.environ.get("PYTHONHASHSEED") != "0":
    # MinHash uses Python's str hash for tokens: make it deterministic.
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

# Siblings (the script's folder is on sys.path): licences.py, filters.py, dedupe.py, sources.py.
from dedupe import SEED, dedupe  # noqa: E402
from sources import debian_jobs, process_source  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
WORK = os.path.join(ROOT, "models", ".work", "corpus")

# share of all bytes (train) allowed for each language; TS/JS are uncapped
LANG_CAP = {"python": 0.15, "json": 0.03, "markdown": 0.04, "css": 0.025, "html": 0.02, "other": 0.02}
SOURCE_CAP = 4_000_000  # bytes per source at most (train), for diversity
DTS_CAP = 0.35  # .d.ts files at most this share of TypeScript bytes (train)


def stable_u(s):
    return int.from_bytes(hashlib.sha1((str(SEED) + s).encode()).digest()[:8], "big") / 2**64


PENDING = []


def atomic_write(path, write_fn, now=False):
    """Write to a temp name; rename with commit_writes() so outputs change together."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        write_fn(f)
    PENDING.append((tmp, path))
    if now:
        commit_writes()


def commit_writes():
    while PENDING:
        tmp, path = PENDING.pop(0)
        os.replace(tmp, path)


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--val-frac", type=float, default=0.008,
                    help="share of pre-dedupe bytes held out (ends near 1.5%% after dedupe and caps)")
    ap.add_argument("--no-debian", action="store_true")
    ap.add_argument("--max-npm", type=int, default=0, help="debug: only the first N tarballs")
    ap.add_argument("--out", default=WORK)
    ap.add_argument("--subset", help="list the tarballs came from (subset.sh): the manifest goes beside the corpus, "
                    "not over the committed one, which describes the full corpus")
    return ap.parse_args()


# ---------------------------------------------------------------- read sources
def list_jobs(args):
    """npm tarballs in models/.work/corpus/npm/tgz, then the Debian sources (sources.debian_jobs)."""
    tgz_dir = os.path.join(WORK, "npm", "tgz")
    pinned = [l.strip() for l in open(os.path.join(HERE, "npm-packages.txt")) if l.strip() and not l.startswith("#")]
    tgzs = sorted(os.path.join(tgz_dir, f) for f in os.listdir(tgz_dir) if f.endswith(".tgz")) if os.path.isdir(tgz_dir) else []
    if args.max_npm:
        tgzs = tgzs[:args.max_npm]
    jobs = [("npm", t) for t in tgzs]
    if not args.no_debian:
        jobs += debian_jobs(os.path.join(WORK, "deb", "root"))
    print(f"{len(jobs)} sources ({len(tgzs)} npm tarballs, {len(pinned)} pinned)", flush=True)
    return jobs


def read_sources(jobs, workers, counts, t0):
    """Run process_source over the jobs -> (sources {name@version: meta}, docs of the licence-accepted ones)."""
    sources = {}  # key -> meta
    docs = []  # list of doc dicts with 'src'
    seen_nv = set()
    with mp.Pool(workers) as pool:
        for i, res in enumerate(pool.imap(process_source, jobs, chunksize=4)):
            counts.update(res["counts"])
            key = f'{res["name"]}@{res["version"]}'
            if res["name"] is None:
                continue
            if key in seen_nv:
                counts["duplicate_source"] += 1
                continue
            seen_nv.add(key)
            meta = {k: res[k] for k in ("name", "version", "license", "license_raw", "origin")}
            meta["key"] = key
            sources[key] = meta
            if not res["license"]:
                counts["licence_rejected_sources"] += 1
                continue
            for d in res["docs"]:
                d["src"] = key
                docs.append(d)
            if i % 500 == 0:
                print(f"  {i}/{len(jobs)} sources, {len(docs)} docs, {time.time()-t0:.0f}s", flush=True)
    print(f"read {len(docs)} docs in {time.time()-t0:.0f}s", flush=True)
    return sources, docs


# ---------------------------------------------------------------- split by source
def flat_name(n):
    return re.sub(r"[^a-z0-9]+", "-", n.lower().lstrip("@")).strip("-")


def split_by_source(docs, sources, val_frac, counts):
    """Hold out whole npm sources -> (docs without the val twins, val keys, per-source byte/file counts)."""
    per_src = defaultdict(lambda: Counter())
    for d in docs:
        s = per_src[d["src"]]
        s["bytes"] += len(d["text"].encode("utf-8"))
        s["files"] += 1
        if d["lang"] == "typescript" and not d["dts"]:
            s["ts_files"] += 1
            s["ts_bytes"] += len(d["text"])
    total = sum(s["bytes"] for s in per_src.values())
    order = sorted(per_src, key=stable_u)
    val = set()
    vbytes = 0
    target = val_frac * total
    # several TypeScript packages with real .ts sources (several sibling files) first
    n_ts = 0
    for k in order:
        s = per_src[k]
        if n_ts >= 12 or vbytes > 0.6 * target:
            break
        if s["ts_files"] >= 5 and s["ts_bytes"] >= 0.6 * s["bytes"] and s["bytes"] <= 0.08 * target \
                and sources[k]["origin"] == "npm" and not sources[k]["name"].startswith("@types/"):
            val.add(k); vbytes += s["bytes"]; n_ts += 1
    for k in order:
        if vbytes >= target:
            break
        s = per_src[k]
        if k in val or s["bytes"] > 0.05 * target or sources[k]["origin"] != "npm":
            continue
        val.add(k); vbytes += s["bytes"]
    # Debian repackagings of a held-out npm package (node-<name>) go neither to train nor val
    val_flat = {flat_name(sources[k]["name"]) for k in val}
    leak = {k for k in per_src if sources[k]["origin"] == "debian"
            and flat_name(sources[k]["name"].split(":", 1)[-1].replace("node-", "", 1)) in val_flat}
    for k in leak:
        sources[k]["dropped"] = "twin-of-val"
    counts["val_twin_sources_dropped"] = len(leak)
    docs = [d for d in docs if d["src"] not in leak]
    print(f"val: {len(val)} sources ({n_ts} TS), {vbytes/1e6:.2f} MB of {total/1e6:.1f} MB", flush=True)
    return docs, val, per_src


# ---------------------------------------------------------------- caps
def over_budget(ds, budget, counts, reason):
    """Files of ds, in seeded random order, that do not fit in budget bytes: their id()s."""
    drop = set()
    acc = 0
    for d in sorted(ds, key=lambda d: d["u"]):
        if acc + d["nb"] > budget:
            drop.add(id(d)); counts[reason] += 1
        else:
            acc += d["nb"]
    return drop


def apply_caps(docs, val, counts):
    """Mix caps, train only (val keeps whole packages) -> (train docs, val docs)."""
    for d in docs:
        d["nb"] = len(d["text"].encode("utf-8"))
        d["u"] = stable_u(d["src"] + "/" + d["path"])
    train = [d for d in docs if d["src"] not in val]
    vald = [d for d in docs if d["src"] in val]
    per = defaultdict(list)
    for d in train:
        per[d["src"]].append(d)
    drop = set()
    for ds in per.values():
        drop |= over_budget(ds, SOURCE_CAP, counts, "cap_source")
    train = [d for d in train if id(d) not in drop]
    tsb = sum(d["nb"] for d in train if d["lang"] == "typescript" and not d["dts"])
    drop = over_budget([d for d in train if d["dts"]], DTS_CAP / (1 - DTS_CAP) * tsb, counts, "cap_dts")
    train = [d for d in train if id(d) not in drop]
    # cap minor languages relative to the uncapped (TS+JS) bytes so that the shares hold afterwards
    by_lang = Counter()
    for d in train:
        by_lang[d["lang"]] += d["nb"]
    main_b = by_lang["typescript"] + by_lang["javascript"]
    capsum = sum(LANG_CAP.values())
    drop = set()
    for lang, cap in LANG_CAP.items():
        allowed = cap * main_b / (1 - capsum)
        drop |= over_budget([d for d in train if d["lang"] == lang], allowed, counts, "cap_" + lang)
    train = [d for d in train if id(d) not in drop]
    return train, vald


# ---------------------------------------------------------------- write outputs
def write_split(out, split, ds, sources, src_stats):
    """Shuffle (seeded) and write <split>.jsonl; add to src_stats -> the split's stats."""
    rnd = random.Random(SEED + (0 if split == "train" else 1))
    ds.sort(key=lambda d: (d["src"], d["path"]))
    rnd.shuffle(ds)

    def w(f):
        for d in ds:
            m = sources[d["src"]]
            f.write(json.dumps({"source": m["name"], "path": d["path"], "lang": d["lang"], "license": m["license"],
                                "text": d["text"]}, ensure_ascii=False) + "\n")
    atomic_write(os.path.join(out, split + ".jsonl"), w)
    lang_b, lang_f = Counter(), Counter()
    srcs = set()
    for d in ds:
        lang_b[d["lang"]] += d["nb"]; lang_f[d["lang"]] += 1
        srcs.add(d["src"])
        st = src_stats[d["src"]]
        st["files"] += 1; st["bytes"] += d["nb"]
        if d["dts"]:
            lang_b["typescript(.d.ts)"] += d["nb"]
    return {"bytes": sum(d["nb"] for d in ds), "files": len(ds), "sources": len(srcs),
            "bytes_per_lang": dict(lang_b.most_common()), "files_per_lang": dict(lang_f.most_common())}


def manifest_writer(sources, src_stats, val):
    def wm(f):
        f.write("source\tversion\torigin\tlicense\tlicense_declared\tsplit\tfiles\tbytes\n")
        for k in sorted(sources, key=lambda k: (sources[k]["origin"], sources[k]["name"])):
            m = sources[k]
            st = src_stats.get(k, Counter())
            if not m["license"]:
                split = "rejected-licence"
            elif m.get("dropped"):
                split = "dropped-" + m["dropped"]
            elif not st["files"]:
                split = "empty-after-filters"
            else:
                split = "val" if k in val else "train"
            raw = str(m["license_raw"]).replace("\t", " ").replace("\n", " ")[:80]
            f.write(f'{m["name"]}\t{m["version"]}\t{m["origin"]}\t{m["license"] or "-"}\t{raw}\t{split}\t{st["files"]}\t{st["bytes"]}\n')
    return wm


def write_outputs(args, sources, train, vald, val, per_src, counts, t0):
    """{train,val}.jsonl, stats.json, manifest.tsv and READY, renamed together at the end -> stats."""
    stats = {"seed": SEED, "sources_total": len(sources),
             "sources_rejected_licence": counts["licence_rejected_sources"],
             "filters": {}, "dedupe": {}, "splits": {}}
    for k, v in sorted(counts.items()):
        if k.startswith("dedupe_"):
            stats["dedupe"][k[7:]] = v
        else:
            stats["filters"][k] = v
    src_stats = defaultdict(lambda: Counter())
    for split, ds in (("train", train), ("val", vald)):
        stats["splits"][split] = write_split(args.out, split, ds, sources, src_stats)
    tb = stats["splits"]["train"]["bytes"] + stats["splits"]["val"]["bytes"]
    stats["total_bytes"] = tb
    stats["val_fraction_bytes"] = round(stats["splits"]["val"]["bytes"] / max(1, tb), 4)
    stats["val_typescript_sources_with_ts_files"] = sorted(
        sources[k]["name"] for k in val if per_src[k]["ts_files"] >= 5)
    stats["build_seconds"] = round(time.time() - t0)
    atomic_write(os.path.join(args.out, "stats.json"), lambda f: json.dump(stats, f, indent=1))
    wm = manifest_writer(sources, src_stats, val)
    # The data stage reads the manifest beside the corpus; a full build also refreshes the committed one.
    atomic_write(os.path.join(args.out, "manifest.tsv"), wm)
    if os.path.abspath(args.out) == os.path.abspath(WORK) and not args.subset:
        atomic_write(os.path.join(HERE, "manifest.tsv"), wm)
    atomic_write(os.path.join(args.out, "READY"), lambda f: f.write(f"{tb}\n"))
    commit_writes()
    return stats


def main():
    args = parse_args()
    t0 = time.time()
    os.makedirs(args.out, exist_ok=True)
    counts = Counter()
    sources, docs = read_sources(list_jobs(args), args.workers, counts, t0)
    docs, val, per_src = split_by_source(docs, sources, args.val_frac, counts)
    rank = {k: (0 if k in val else 1, stable_u(k)) for k in per_src}  # val copies kept first
    docs = dedupe(docs, rank, counts)
    print(f"after near dedupe: {len(docs)} docs ({time.time()-t0:.0f}s)", flush=True)
    train, vald = apply_caps(docs, val, counts)
    stats = write_outputs(args, sources, train, vald, val, per_src, counts, t0)
    tb = stats["total_bytes"]
    print(json.dumps(stats["splits"], indent=1))
    print(f"done: {tb/1e6:.1f} MB in {time.time()-t0:.0f}s")


if __name__ == "__main__":
    main()
