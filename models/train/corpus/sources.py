"""Sources: npm tarballs and Debian packages -> filtered, hashed documents (process_source runs in the worker pool)."""
import hashlib
import json
import os
import posixpath
import re
import sys
import tarfile
import zlib
from collections import Counter

from dedupe import minhash, norm_hash
from filters import (BUNDLE_DIR, DATA_DIR, MAX_BYTES, MIN_BYTES, SKIP_DIR, SKIP_NAME, is_dts, lang_of,
                     quality_reason)
from licences import deb_licence, npm_licence


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
