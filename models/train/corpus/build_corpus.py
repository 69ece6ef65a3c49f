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
import io
import json
import multiprocessing as mp
import os
import posixpath
import random
import re
import sys
import tarfile
import time
import zlib
from collections import Counter, defaultdict

import numpy as np

try:
    import regex as _re_tok
except ImportError:  # pragma: no cover
    _re_tok = re

if os.environ.get("PYTHONHASHSEED") != "0":
    # MinHash uses Python's str hash for tokens: make it deterministic.
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
WORK = os.path.join(ROOT, "models", ".work", "corpus")

SEED = 1234
MAX_BYTES = 200_000
MIN_BYTES = 32
NPERM = 64
BANDS = 8  # 8 bands x 8 rows: candidate threshold ~0.77, then verified at NEAR_THRESH
NEAR_THRESH = 0.80
SHINGLE = 5
MAX_TOKENS = 20000

# ---------------------------------------------------------------- languages
EXT_LANG = {
    ".ts": "typescript", ".tsx": "typescript", ".mts": "typescript", ".cts": "typescript",
    ".js": "javascript", ".jsx": "javascript", ".mjs": "javascript", ".cjs": "javascript",
    ".py": "python", ".pyi": "python",
    ".json": "json",
    ".css": "css", ".scss": "css", ".less": "css",
    ".html": "html", ".htm": "html",
    ".md": "markdown", ".markdown": "markdown",
    ".vue": "other", ".svelte": "other", ".sh": "other", ".yml": "other", ".yaml": "other",
    ".graphql": "other", ".gql": "other",
}
CODE_LANGS = {"typescript", "javascript", "python", "css", "other"}
# share of all bytes (train) allowed for each language; TS/JS are uncapped
LANG_CAP = {"python": 0.15, "json": 0.03, "markdown": 0.04, "css": 0.025, "html": 0.02, "other": 0.02}
SOURCE_CAP = 4_000_000  # bytes per source at most (train), for diversity
DTS_CAP = 0.35  # .d.ts files at most this share of TypeScript bytes (train)

# ---------------------------------------------------------------- licences
PERMISSIVE = {
    "MIT", "MIT-0", "ISC", "0BSD", "BSD-2-Clause", "BSD-3-Clause", "BSD-3-Clause-Clear",
    "Apache-2.0", "Unlicense", "CC0-1.0", "PSF-2.0", "Python-2.0", "Zlib", "BlueOak-1.0.0",
    "WTFPL", "X11", "BSL-1.0", "Unicode-DFS-2016", "HPND", "NCSA", "UPL-1.0", "PostgreSQL",
}
LIC_ALIASES = {
    "mit": "MIT", "mit license": "MIT", "the mit license": "MIT", "expat": "MIT", "mit/x11": "MIT",
    "isc": "ISC", "isc license": "ISC",
    "bsd": "BSD-3-Clause", "bsd-3": "BSD-3-Clause", "bsd-3-clause": "BSD-3-Clause", "new bsd": "BSD-3-Clause",
    "bsd 3-clause": "BSD-3-Clause", "bsd-2": "BSD-2-Clause", "bsd-2-clause": "BSD-2-Clause",
    "simplified bsd": "BSD-2-Clause", "bsd 2-clause": "BSD-2-Clause", "freebsd": "BSD-2-Clause",
    "apache-2.0": "Apache-2.0", "apache 2.0": "Apache-2.0", "apache2": "Apache-2.0", "apache-2": "Apache-2.0",
    "apache license 2.0": "Apache-2.0", "apache license, version 2.0": "Apache-2.0", "apache": "Apache-2.0",
    "apache 2": "Apache-2.0", "apache v2": "Apache-2.0",
    "unlicense": "Unlicense", "the unlicense": "Unlicense", "public domain": "Unlicense",
    "cc0": "CC0-1.0", "cc0-1.0": "CC0-1.0", "0bsd": "0BSD", "zlib": "Zlib", "wtfpl": "WTFPL",
    "psf": "PSF-2.0", "psf-2": "PSF-2.0", "psf-2.0": "PSF-2.0", "python": "Python-2.0", "python-2.0": "Python-2.0",
    "mit-0": "MIT-0", "blueoak-1.0.0": "BlueOak-1.0.0", "x11": "X11", "bsl-1.0": "BSL-1.0",
    "boost": "BSL-1.0", "hpnd": "HPND", "upl-1.0": "UPL-1.0",
}


def norm_one(tok):
    t = tok.strip().strip("()").strip()
    if not t:
        return None
    low = t.lower().rstrip("+").replace("_", "-")
    for cand in (t, t.rstrip("+")):
        if cand in PERMISSIVE:
            return cand
    if low in LIC_ALIASES:
        return LIC_ALIASES[low]
    for p in PERMISSIVE:
        if p.lower() == low:
            return p
    return None


def norm_expr(expr):
    """SPDX-ish expression -> permissive SPDX id (or expression) or None."""
    if not expr or not isinstance(expr, str):
        return None
    e = expr.strip()
    r = norm_one(e)
    if r:
        return r
    parts_or = re.split(r"\s+OR\s+|\s*/\s*|\s+or\s+", e.strip("()"))
    if len(parts_or) > 1:
        for p in parts_or:
            r = norm_expr(p)
            if r:
                return r
        return None
    parts_and = re.split(r"\s+AND\s+|\s+and\s+", e.strip("()"))
    if len(parts_and) > 1:
        rs = [norm_expr(p) for p in parts_and]
        if all(rs):
            return " AND ".join(sorted(set(rs)))
        return None
    return None


def licence_from_text(txt):
    t = " ".join(txt.split()).lower()
    if not t:
        return None
    if "gnu general public" in t or "gnu lesser" in t or "gnu affero" in t or "mozilla public" in t:
        return None
    if "permission is hereby granted, free of charge" in t:
        return "MIT"
    if "permission to use, copy, modify, and/or distribute this software for any purpose" in t:
        return "ISC" if "copyright" in t else "0BSD"
    if "apache license" in t and "version 2.0" in t:
        return "Apache-2.0"
    if "redistribution and use in source and binary forms" in t:
        if "advertising materials" in t:
            return None
        return "BSD-3-Clause" if ("neither the name" in t or "names of its contributors" in t) else "BSD-2-Clause"
    if "this is free and unencumbered software released into the public domain" in t:
        return "Unlicense"
    if "blue oak model license" in t:
        return "BlueOak-1.0.0"
    if "cc0" in t and "public domain" in t:
        return "CC0-1.0"
    return None


def npm_licence(pkg, files):
    lic = pkg.get("license")
    if isinstance(lic, dict):
        lic = lic.get("type")
    if lic is None and isinstance(pkg.get("licenses"), list):
        ids = [(x.get("type") if isinstance(x, dict) else x) for x in pkg["licenses"]]
        lic = " OR ".join(str(i) for i in ids if i)
    r = norm_expr(lic) if isinstance(lic, str) else None
    if r:
        return r, lic
    if isinstance(lic, str) and lic.strip() and not lic.upper().startswith(("SEE LICEN", "UNLICENSED")):
        return None, lic  # a declared licence that is not on the permissive list
    if isinstance(lic, str) and lic.upper().startswith("UNLICENSED"):
        return None, lic
    for name, data in files.items():
        if re.match(r"^(licen[cs]e|copying)(\.|-|$)", posixpath.basename(name).lower()) and "/" not in name:
            r = licence_from_text(data.decode("utf-8", "replace"))
            if r:
                return r, "file:" + name
    return None, lic if isinstance(lic, str) else "none"


DEB_LIC = {
    "expat": "MIT", "mit": "MIT", "bsd-3-clause": "BSD-3-Clause", "bsd-2-clause": "BSD-2-Clause",
    "bsd-3": "BSD-3-Clause", "bsd-2": "BSD-2-Clause", "bsd": "BSD-3-Clause", "apache-2.0": "Apache-2.0",
    "apache-2": "Apache-2.0", "apache": "Apache-2.0", "apache-2.0+": "Apache-2.0", "isc": "ISC", "psf-2": "PSF-2.0", "psf-2.0": "PSF-2.0", "psf": "PSF-2.0",
    "python": "Python-2.0", "python-2.0": "Python-2.0", "zlib": "Zlib", "public-domain": "Unlicense",
    "cc0-1.0": "CC0-1.0", "cc0": "CC0-1.0", "0bsd": "0BSD", "unlicense": "Unlicense", "mit-0": "MIT-0",
    "x11": "X11", "bsl-1.0": "BSL-1.0", "hpnd": "HPND", "wtfpl": "WTFPL", "mit/x11": "MIT",
    "cc-1.0-universal": "CC0-1.0",
}


def deb_licence(copyright_path):
    """Licence of the `Files: *` paragraph of a DEP-5 copyright file."""
    try:
        with open(copyright_path, encoding="utf-8", errors="replace") as f:
            txt = f.read()
    except OSError:
        return None, "no-copyright"
    if "Format:" not in txt[:300]:
        return licence_from_text(txt), "free-text"
    for para in re.split(r"\n\s*\n", txt):
        m = re.search(r"^Files:\s*(.*)$", para, re.M)
        if not m or m.group(1).split()[:1] != ["*"]:
            continue
        lm = re.search(r"^License:\s*(.+)$", para, re.M)
        if not lm:
            return None, "?"
        raw = lm.group(1).strip()
        alts = re.split(r"\s+or\s+|\s*\|\s*", raw, flags=re.I)
        for a in alts:
            ands = re.split(r"\s+and\s+|\s*,\s*", a, flags=re.I)
            ids = [DEB_LIC.get(x.strip().split("~")[0].lower().rstrip("+").replace(" ", "-")) for x in ands]
            if all(ids):
                return " AND ".join(sorted(set(ids))), raw
        return None, raw
    return licence_from_text(txt), "no-files-star"


# ---------------------------------------------------------------- file filters
SKIP_DIR = re.compile(
    r"(^|/)(node_modules|bower_components|vendor|vendors|third_party|third-party|thirdparty|__snapshots__|"
    r"\.git|\.github|\.vscode|\.idea|coverage|\.nyc_output|__pycache__|jspm_packages|web_modules|"
    r"ts3\.\d+|downlevel|downlevel-dts)/",
    re.I)
DATA_DIR = re.compile(r"(^|/)(fixtures?|__fixtures__|testdata|test-data|snapshots?|data)/", re.I)
SKIP_NAME = re.compile(
    r"(\.min\.[a-z]+$|[.-]min\.js$|\.map$|\.bundle\.js$|\.umd\.js$|\.umd\.min\.js$|\.browser\.js$|"
    r"^package-lock\.json$|^yarn\.lock$|^pnpm-lock\.yaml$|^npm-shrinkwrap\.json$|^bun\.lockb?$|"
    r"\.snap$|^changelog|^history\.md$|\.tsbuildinfo$)", re.I)
BUNDLE_DIR = re.compile(r"(^|/)(umd|bundles?|browser|iife|amd|system|standalone)/", re.I)
GEN_RE = re.compile(
    r"@generated|\bgenerated by\b|do not edit|auto-?generated|automatically generated|"
    r"this file (?:was|is|has been) generated|code generated by|generated from|\bwebpackBootstrap\b",
    re.I)
BUNDLE_RE = re.compile(
    r"__webpack_require__|\(function \(global, factory\)|typeof define === ['\"]function['\"] && define\.amd|"
    r"parcelRequire|System\.register\(|__nccwpck_require__|\bdefine\(\[\"require\", \"exports\"")
TOK_RE = _re_tok.compile(r"\w+|[^\w\s]")


def lang_of(path):
    base = posixpath.basename(path).lower()
    if base.endswith(".d.ts") or base.endswith(".d.mts") or base.endswith(".d.cts"):
        return "typescript"
    ext = posixpath.splitext(base)[1]
    return EXT_LANG.get(ext)


def is_dts(path):
    b = path.lower()
    return b.endswith(".d.ts") or b.endswith(".d.mts") or b.endswith(".d.cts")


def quality_reason(path, lang, text, nbytes):
    """None if the file is kept, else a filter reason."""
    lines = text.split("\n")
    nl = len(lines)
    maxl = max(len(l) for l in lines)
    avg = len(text) / nl
    if lang == "markdown":
        if maxl > 5000 or avg > 500:
            return "minified"
    elif lang == "json":
        if maxl > 1000 or (avg > 200 and nbytes > 2000):
            return "minified"
    else:
        if maxl > 1000 or avg > 150:
            return "minified"
        ws = sum(text.count(c) for c in " \n\t") / max(1, len(text))
        if ws < 0.08 and nbytes > 500:
            return "minified"
    head = text[:600]
    if GEN_RE.search(head):
        return "generated"
    if lang in ("javascript", "typescript") and BUNDLE_RE.search(text[:20000]):
        return "bundle"
    if lang in CODE_LANGS:
        alpha = sum(1 for c in text[:20000] if c.isalpha()) / max(1, min(len(text), 20000))
        if alpha < 0.25:
            return "data"
    return None


# ---------------------------------------------------------------- minhash
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


# ---------------------------------------------------------------- sources
def read_npm(tgz):
    """-> (name, version, licence, lic_raw, {relpath: bytes}, counters)"""
    files = {}
    c = Counter()
    try:
        with tarfile.open(tgz, "r:gz") as tf:
            for m in tf:
                if not m.isfile():
                    continue
                parts = m.name.split("/", 1)
                if len(parts) < 2:
                    continue
                rel = parts[1]
                base = posixpath.basename(rel).lower()
                keep_lic = "/" not in rel and re.match(r"^(licen[cs]e|copying)", base)
                if rel == "package.json" or keep_lic:
                    files[rel] = tf.extractfile(m).read()
                    continue
                lang = lang_of(rel)
                if lang is None:
                    c["skip_ext"] += 1
                    continue
                if m.size > MAX_BYTES:
                    c["too_large"] += 1
                    continue
                files[rel] = tf.extractfile(m).read()
    except (tarfile.TarError, OSError, EOFError, zlib.error) as e:
        c["bad_tarball"] += 1
        return None, None, None, str(e), {}, c
    try:
        pkg = json.loads(files.get("package.json", b"{}").decode("utf-8", "replace"))
        if not isinstance(pkg, dict):
            pkg = {}
    except ValueError:
        pkg = {}
    name = pkg.get("name") or os.path.basename(tgz)[:-4]
    version = pkg.get("version") or "?"
    lic, raw = npm_licence(pkg, files)
    for k in list(files):
        if k != "package.json" and lang_of(k) is None:
            del files[k]
    return name, version, lic, raw, files, c


def process_source(job):
    """Worker: read one source, filter its files, hash them.  Returns a dict."""
    kind, arg = job[0], job[1]
    c = Counter()
    if kind == "npm":
        name, version, lic, raw, files, c0 = read_npm(arg)
        c.update(c0)
        origin = "npm"
    else:
        _, _, name, version, lic, raw, paths = job
        origin = "debian"
        files = {}
        for rel, full in paths:
            try:
                sz = os.path.getsize(full)
                if sz > MAX_BYTES:
                    c["too_large"] += 1
                    continue
                with open(full, "rb") as f:
                    files[rel] = f.read()
            except OSError:
                c["unreadable"] += 1
    res = {"name": name, "version": version, "license": lic, "license_raw": raw,
           "origin": origin, "docs": [], "counts": c}
    if not lic:
        c["licence_rejected_files"] += len(files)
        return res
    # files of a package compiled from its own TypeScript: drop JS/.d.ts twins of .ts sources
    ts_stems = set()
    for rel in files:
        if lang_of(rel) == "typescript" and not is_dts(rel):
            ts_stems.add(re.sub(r"\.(ts|tsx|mts|cts)$", "", posixpath.basename(rel)))
    for rel in sorted(files):
        data = files[rel]
        lang = lang_of(rel)
        if lang is None:
            continue
        base = posixpath.basename(rel)
        if SKIP_DIR.search(rel):
            c["vendored"] += 1
            continue
        if SKIP_NAME.search(base):
            c["generated_name"] += 1
            continue
        if lang in ("json", "html", "css", "markdown", "other") and DATA_DIR.search(rel):
            c["fixture_data"] += 1
            continue
        if lang == "javascript" and BUNDLE_DIR.search(rel):
            c["bundle"] += 1
            continue
        stem = re.sub(r"\.(d\.ts|d\.mts|d\.cts|js|mjs|cjs|jsx)$", "", base)
        if ts_stems and stem in ts_stems and (lang == "javascript" or is_dts(rel)):
            c["compiled_from_ts"] += 1
            continue
        if len(data) < MIN_BYTES:
            c["too_small"] += 1
            continue
        if b"\x00" in data:
            c["binary"] += 1
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            c["not_utf8"] += 1
            continue
        if text.startswith("\ufeff"):
            text = text[1:]
        text = text.replace("\r\n", "\n")
        why = quality_reason(rel, lang, text, len(data))
        if why:
            c[why] += 1
            continue
        res["docs"].append({
            "path": rel, "lang": lang, "text": text, "dts": is_dts(rel),
            "sha": hashlib.sha1(text.encode("utf-8")).digest()[:12],
            "nsha": norm_hash(text), "sig": minhash(text),
        })
    return res


def debian_jobs(deb_root, min_files=1):
    """Python stdlib + python3-* / node-* packages (installed or unpacked under deb_root)."""
    jobs = []
    stdlib = "/usr/lib/python3.11"
    if os.path.isdir(stdlib):
        paths = []
        for dp, dns, fns in os.walk(stdlib):
            dns[:] = sorted(d for d in dns if d not in ("site-packages", "dist-packages", "__pycache__"))
            for fn in sorted(fns):
                full = os.path.join(dp, fn)
                rel = os.path.relpath(full, stdlib)
                if lang_of(rel) and not os.path.islink(full):
                    paths.append((rel, full))
        ver = sys.version.split()[0] if sys.version_info[:2] == (3, 11) else "3.11"
        jobs.append(("deb", None, "python3.11-stdlib", ver, "PSF-2.0", "PSF-2.0 (/usr/share/doc/python3.11/copyright)", paths))
    # installed Debian packages: python3-* libraries
    info = "/var/lib/dpkg/info"
    status = dpkg_versions()
    for pkg in sorted(status):
        if not (pkg.startswith("python3-") or pkg.startswith("node-")):
            continue
        lst = os.path.join(info, pkg + ".list")
        if not os.path.exists(lst):
            lst = os.path.join(info, pkg + ":amd64.list")
        if not os.path.exists(lst):
            continue
        paths = []
        with open(lst) as f:
            for line in f:
                full = line.rstrip("\n")
                if not (full.startswith("/usr/lib/python3/dist-packages/") or full.startswith("/usr/share/nodejs/")
                        or full.startswith("/usr/lib/nodejs/")):
                    continue
                if lang_of(full) and os.path.isfile(full) and not os.path.islink(full):
                    rel = full.split("/", 5)[-1] if full.startswith("/usr/lib/python3/") else full.split("/", 4)[-1]
                    paths.append((rel, full))
        if len(paths) < min_files:
            continue
        lic, raw = deb_licence(os.path.join("/usr/share/doc", pkg, "copyright"))
        jobs.append(("deb", None, "debian:" + pkg, status[pkg], lic, raw, paths))
    # Debian packages unpacked (not installed) under deb_root/<pkg>/
    if deb_root and os.path.isdir(deb_root):
        vers = {}
        vf = os.path.join(deb_root, "versions.tsv")
        if os.path.exists(vf):
            for line in open(vf):
                p = line.rstrip("\n").split("\t")
                if len(p) == 2:
                    vers[p[0]] = p[1]
        for pkg in sorted(os.listdir(deb_root)):
            base = os.path.join(deb_root, pkg)
            if not os.path.isdir(base) or pkg in status:
                continue
            paths = []
            for sub in ("usr/share/nodejs", "usr/lib/nodejs", "usr/lib/python3/dist-packages"):
                top = os.path.join(base, sub)
                for dp, dns, fns in os.walk(top):
                    dns.sort()
                    for fn in sorted(fns):
                        full = os.path.join(dp, fn)
                        if lang_of(full) and os.path.isfile(full) and not os.path.islink(full):
                            paths.append((os.path.relpath(full, top), full))
            if len(paths) < min_files:
                continue
            lic, raw = deb_licence(os.path.join(base, "usr/share/doc", pkg, "copyright"))
            jobs.append(("deb", None, "debian:" + pkg, vers.get(pkg, "?"), lic, raw, paths))
    return jobs


def dpkg_versions():
    out = {}
    try:
        txt = open("/var/lib/dpkg/status", encoding="utf-8", errors="replace").read()
    except OSError:
        return out
    for para in txt.split("\n\n"):
        m = re.search(r"^Package: (\S+)", para, re.M)
        s = re.search(r"^Status: .* installed$", para, re.M)
        v = re.search(r"^Version: (\S+)", para, re.M)
        if m and s and v:
            out[m.group(1)] = v.group(1)
    return out


# ---------------------------------------------------------------- main
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--val-frac", type=float, default=0.008,
                    help="share of pre-dedupe bytes held out (ends near 1.5%% after dedupe and caps)")
    ap.add_argument("--no-debian", action="store_true")
    ap.add_argument("--max-npm", type=int, default=0, help="debug: only the first N tarballs")
    ap.add_argument("--out", default=WORK)
    ap.add_argument("--subset", help="list the tarballs came from (subset.sh): the manifest goes beside the corpus, "
                    "not over the committed one, which describes the full corpus")
    args = ap.parse_args()
    t0 = time.time()
    os.makedirs(args.out, exist_ok=True)

    tgz_dir = os.path.join(WORK, "npm", "tgz")
    pinned = [l.strip() for l in open(os.path.join(HERE, "npm-packages.txt")) if l.strip() and not l.startswith("#")]
    tgzs = sorted(os.path.join(tgz_dir, f) for f in os.listdir(tgz_dir) if f.endswith(".tgz")) if os.path.isdir(tgz_dir) else []
    if args.max_npm:
        tgzs = tgzs[:args.max_npm]
    jobs = [("npm", t) for t in tgzs]
    if not args.no_debian:
        jobs += debian_jobs(os.path.join(WORK, "deb", "root"))
    print(f"{len(jobs)} sources ({len(tgzs)} npm tarballs, {len(pinned)} pinned)", flush=True)

    counts = Counter()
    sources = {}  # key -> meta
    docs = []  # list of doc dicts with 'src'
    seen_nv = set()
    with mp.Pool(args.workers) as pool:
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

    # ------------------------------------------------ split by source
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
    target = args.val_frac * total
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
    def flat(n):
        return re.sub(r"[^a-z0-9]+", "-", n.lower().lstrip("@")).strip("-")
    val_flat = {flat(sources[k]["name"]) for k in val}
    leak = {k for k in per_src if sources[k]["origin"] == "debian"
            and flat(sources[k]["name"].split(":", 1)[-1].replace("node-", "", 1)) in val_flat}
    for k in leak:
        sources[k]["dropped"] = "twin-of-val"
    counts["val_twin_sources_dropped"] = len(leak)
    docs = [d for d in docs if d["src"] not in leak]
    print(f"val: {len(val)} sources ({n_ts} TS), {vbytes/1e6:.2f} MB of {total/1e6:.1f} MB", flush=True)

    # ------------------------------------------------ dedupe (val copies kept first)
    rank = {k: (0 if k in val else 1, stable_u(k)) for k in per_src}
    docs.sort(key=lambda d: (rank[d["src"]], d["src"], d["path"]))
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
    docs = [d for i, d in enumerate(docs) if not removed[i]]
    del sigs
    print(f"after near dedupe: {len(docs)} docs ({time.time()-t0:.0f}s)", flush=True)

    # ------------------------------------------------ caps (train only; val keeps whole packages)
    for d in docs:
        d["nb"] = len(d["text"].encode("utf-8"))
        d["u"] = stable_u(d["src"] + "/" + d["path"])
    train = [d for d in docs if d["src"] not in val]
    vald = [d for d in docs if d["src"] in val]
    per = defaultdict(list)
    for d in train:
        per[d["src"]].append(d)
    drop = set()
    for k, ds in per.items():
        acc = 0
        for d in sorted(ds, key=lambda d: d["u"]):
            if acc + d["nb"] > SOURCE_CAP:
                drop.add(id(d)); counts["cap_source"] += 1
            else:
                acc += d["nb"]
    train = [d for d in train if id(d) not in drop]
    tsb = sum(d["nb"] for d in train if d["lang"] == "typescript" and not d["dts"])
    dts = sorted((d for d in train if d["dts"]), key=lambda d: d["u"])
    budget = DTS_CAP / (1 - DTS_CAP) * tsb
    drop = set()
    acc = 0
    for d in dts:
        if acc + d["nb"] > budget:
            drop.add(id(d)); counts["cap_dts"] += 1
        else:
            acc += d["nb"]
    train = [d for d in train if id(d) not in drop]
    # cap minor languages relative to the uncapped (TS+JS) bytes so that the shares hold afterwards
    by_lang = Counter()
    for d in train:
        by_lang[d["lang"]] += d["nb"]
    main_b = by_lang["typescript"] + by_lang["javascript"]
    capsum = sum(LANG_CAP.values())
    allowed = {}
    for lang, cap in LANG_CAP.items():
        allowed[lang] = cap * main_b / (1 - capsum)
    drop = set()
    for lang in LANG_CAP:
        ds = sorted((d for d in train if d["lang"] == lang), key=lambda d: d["u"])
        acc = 0
        for d in ds:
            if acc + d["nb"] > allowed[lang]:
                drop.add(id(d)); counts["cap_" + lang] += 1
            else:
                acc += d["nb"]
    train = [d for d in train if id(d) not in drop]

    # ------------------------------------------------ write
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
        rnd = random.Random(SEED + (0 if split == "train" else 1))
        ds.sort(key=lambda d: (d["src"], d["path"]))
        rnd.shuffle(ds)
        lang_b, lang_f = Counter(), Counter()
        srcs = set()
        path = os.path.join(args.out, split + ".jsonl")

        def w(f, ds=ds, split=split):
            for d in ds:
                m = sources[d["src"]]
                f.write(json.dumps({"source": m["name"] if m["origin"] == "npm" else m["name"],
                                    "path": d["path"], "lang": d["lang"], "license": m["license"],
                                    "text": d["text"]}, ensure_ascii=False) + "\n")
        atomic_write(path, w)
        for d in ds:
            lang_b[d["lang"]] += d["nb"]; lang_f[d["lang"]] += 1
            srcs.add(d["src"])
            st = src_stats[d["src"]]
            st["files"] += 1; st["bytes"] += d["nb"]
            if d["dts"]:
                lang_b["typescript(.d.ts)"] += d["nb"]
        stats["splits"][split] = {"bytes": sum(d["nb"] for d in ds), "files": len(ds), "sources": len(srcs),
                                  "bytes_per_lang": dict(lang_b.most_common()), "files_per_lang": dict(lang_f.most_common())}
    tb = stats["splits"]["train"]["bytes"] + stats["splits"]["val"]["bytes"]
    stats["total_bytes"] = tb
    stats["val_fraction_bytes"] = round(stats["splits"]["val"]["bytes"] / max(1, tb), 4)
    stats["val_typescript_sources_with_ts_files"] = sorted(
        sources[k]["name"] for k in val if per_src[k]["ts_files"] >= 5)
    stats["build_seconds"] = round(time.time() - t0)
    atomic_write(os.path.join(args.out, "stats.json"), lambda f: json.dump(stats, f, indent=1))

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
    # The data stage reads the manifest beside the corpus; a full build also refreshes the committed one.
    atomic_write(os.path.join(args.out, "manifest.tsv"), wm)
    if os.path.abspath(args.out) == os.path.abspath(WORK) and not args.subset:
        atomic_write(os.path.join(HERE, "manifest.tsv"), wm)
    atomic_write(os.path.join(args.out, "READY"), lambda f: f.write(f"{tb}\n"))
    commit_writes()
    print(json.dumps(stats["splits"], indent=1))
    print(f"done: {tb/1e6:.1f} MB in {time.time()-t0:.0f}s")


if __name__ == "__main__":
    main()
