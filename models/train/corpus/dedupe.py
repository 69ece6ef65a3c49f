"""Dedupe: exact and whitespace-normalised hashes, MinHash signatures and the dedupe step.

minhash() hashes tokens with Python's str hash, so it is deterministic only under
PYTHONHASHSEED=0 (build_corpus.py re-executes itself with it).
"""
import hashlib

import numpy as np

try:
    import regex as _re_tok
except ImportError:  # pragma: no cover
    import re as _re_tok

SEED = 1234  # the build's one seed: MinHash permutations here; split, caps and shuffle in build_corpus.py
NPERM = 64
BANDS = 8  # 8 bands x 8 rows: candidate threshold ~0.77, then verified at NEAR_THRESH
NEAR_THRESH = 0.80
SHINGLE = 5
MAX_TOKENS = 20000

TOK_RE = _re_tok.compile(r"\w+|[^\w\s]")

_rng = np.random.RandomState(SEED)
PERM_A = (_rng.randint(1, 2**62, size=NPERM, dtype=np.int64).astype(np.uint64) * np.uint64(2) + np.uint64(1))
PERM_B = _rng.randint(0, 2**62, size=NPERM, dtype=np.int64).astype(np.uint64)
SH_MUL = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                   0x27D4EB2F165667C5, 0xFF51AFD7ED558CCD], dtype=np.uint64)


def minhash(text):
    toks = TOK_RE.findall(text)[:MAX_TOKENS]
    if len(toks) < SHINGLE:
        toks = toks + [""] * (SHINGLE - len(toks))
    h = np.fromiter((hash(t) & 0xFFFFFFFFFFFFFFFF for t in toks), dtype=np.uint64, count=len(toks))
    n = len(h) - SHINGLE + 1
    with np.errstate(over="ignore"):
        s = h[:n] * SH_MUL[0]
        for k in range(1, SHINGLE):
            s = s ^ (h[k:k + n] * SH_MUL[k])
        s = np.unique(s)
        sig = np.empty(NPERM, dtype=np.uint64)
        for i0 in range(0, NPERM, 16):
            v = s[None, :] * PERM_A[i0:i0 + 16, None] + PERM_B[i0:i0 + 16, None]
            sig[i0:i0 + 16] = v.min(axis=1)
    return (sig >> np.uint64(32)).astype(np.uint32).tobytes()


def norm_hash(text):
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).digest()[:12]


def dedupe(docs, rank, counts):
    """The dedupe step: docs in the order of (rank[src], src, path), so the first copy is kept.

    Exact (SHA-1 of content) and whitespace-normalised copies first, then near duplicates by
    MinHash + LSH (BANDS bands of NPERM // BANDS rows), verified at NEAR_THRESH.
    """
    docs = sorted(docs, key=lambda d: (rank[d["src"]], d["src"], d["path"]))
    keep = []
    seen = set()
    seen_n = set()
    for d in docs:
        if d["sha"] in seen:
            counts["dedupe_exact"] += 1
            continue
        seen.add(d["sha"])
        if d["nsha"] in seen_n:
            counts["dedupe_whitespace"] += 1
            continue
        seen_n.add(d["nsha"])
        keep.append(d)
    docs = keep
    del seen, seen_n
    print(f"after exact dedupe: {len(docs)} docs", flush=True)
    sigs = np.frombuffer(b"".join(d["sig"] for d in docs), dtype=np.uint32).reshape(len(docs), NPERM)
    rows = NPERM // BANDS
    removed = np.zeros(len(docs), dtype=bool)
    for b in range(BANDS):
        band = np.ascontiguousarray(sigs[:, b * rows:(b + 1) * rows]).view(np.dtype((np.void, 4 * rows))).ravel()
        first = {}
        for i in range(len(docs)):
            if removed[i]:
                continue
            key = band[i].tobytes()
            j = first.get(key)
            if j is None:
                first[key] = i
                continue
            if np.mean(sigs[i] == sigs[j]) >= NEAR_THRESH:
                removed[i] = True
    counts["dedupe_near"] = int(removed.sum())
    return [d for i, d in enumerate(docs) if not removed[i]]
