"""Licence normalisation: npm `license` fields, DEP-5 copyright files and licence texts -> SPDX.

Only permissive licences pass (PERMISSIVE); everything else maps to None and the source is
rejected by the build.
"""
import posixpath
import re

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
