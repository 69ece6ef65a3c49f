"""Repository context for training: few-shot snippets from sibling files, as the extension sends them.

At inference the prompt starts with the windows of the user's other open files that best match
the code before the cursor (src/core/completion/snippets.ts), each as its own document:
    <|file_sep|>path\nwindow\n<|endoftext|>
A model trained only on unrelated documents packed one after another learns that nothing before
<|endoftext|> predicts what follows, and ignores those snippets. So, as repository-level
pretraining does (DeepSeek-Coder, StarCoder2), part of the training text is preceded by windows
of files from the same package, chosen the same way: 12-line windows with a stride of 6, scored
by Jaccard similarity of identifier sets with the text that follows, best first within a budget.
"""
import re

from .fim import EOT, FILE_SEP

WINDOW_LINES = 12
WINDOW_STRIDE_LINES = 6
MAX_SNIPPETS = 3
MIN_SNIPPET_SCORE = 0.1
# About the extension's default few-shot budget (localGpt.fewShot.maxTokens = 256) at ~3.3 chars/token.
BUDGET_CHARS = 850
# Windows drawn at random from sibling files and scored; the best few are kept.
CANDIDATE_WINDOWS = 24
QUERY_CHARS = 2000
IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


def identifiers(text):
    return {word for word in IDENTIFIER.findall(text) if len(word) >= 2}


def jaccard(a, b):
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def windows(text):
    """(first line, window text) for each 12-line window, stride 6, as the extension's index."""
    lines = text.split("\n")
    out = []
    for start in range(0, max(1, len(lines) - WINDOW_STRIDE_LINES), WINDOW_STRIDE_LINES):
        window = "\n".join(line[:200] for line in lines[start:start + WINDOW_LINES]).strip("\n")
        if window.strip():
            out.append((start, window))
    return out


def pick_snippets(query, siblings, rng):
    """Up to MAX_SNIPPETS (path, window) of `siblings` [(path, windows(text))], best match first,
    within BUDGET_CHARS; then ordered by path and line, as the extension keeps its prompt's start
    stable. Siblings come windowed: a package's files are cut once, not at every draw."""
    if not siblings:
        return []
    query_ids = identifiers(query[:QUERY_CHARS])
    candidates = []
    for _ in range(CANDIDATE_WINDOWS):
        path, file_windows = siblings[rng.randrange(len(siblings))]
        if file_windows:
            line, window = file_windows[rng.randrange(len(file_windows))]
            candidates.append((jaccard(query_ids, identifiers(window)), path, line, window))
    chosen, used, seen = [], 0, set()
    for score, path, line, window in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if score < MIN_SNIPPET_SCORE or len(chosen) == MAX_SNIPPETS or (path, line) in seen:
            continue
        window = window[:BUDGET_CHARS - used]
        if len(window) < 120:
            continue
        seen.add((path, line))
        chosen.append((path, line, window))
        used += len(window)
    return [(path, window) for path, _, window in sorted(chosen, key=lambda c: (c[0], c[1]))]


def context_text(snippets):
    """The snippets in the extension's template: each its own document, path first."""
    return "".join(f"{FILE_SEP}{path}\n{window}\n{EOT}" for path, window in snippets)
