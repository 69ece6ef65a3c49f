"""Fill-in-the-middle document transforms (Bavarian et al. 2022), applied at character level.

PSM: <fim_prefix> prefix <fim_suffix> suffix <fim_middle> middle <eot>
SPM (the paper's variant, as StarCoder): <fim_prefix><fim_suffix> suffix <fim_middle> prefix middle <eot>
SPM keeps prefix and middle contiguous, so their tokenization is the natural one.
"""
FIM_PREFIX = "<|fim_prefix|>"
FIM_MIDDLE = "<|fim_middle|>"
FIM_SUFFIX = "<|fim_suffix|>"
FILE_SEP = "<|file_sep|>"
EOT = "<|endoftext|>"

CHUNK_CHARS = 1400  # about 450 tokens: prefix, suffix and middle fit one 512-token window


def chunks_at_lines(text, limit=CHUNK_CHARS):
    out, cur, size = [], [], 0
    for line in text.splitlines(keepends=True):
        if size + len(line) > limit and cur:
            out.append("".join(cur))
            cur, size = [], 0
        cur.append(line[: limit * 2])
        size += len(cur[-1])
    if cur:
        out.append("".join(cur))
    return out


def split_points(text, rng):
    """Half uniform (the paper's random span), half cursor-like: the middle runs from a random
    point to the end of its line and up to three more lines, as an editor completion does."""
    n = len(text)
    if rng.random() < 0.5:
        a, b = sorted((rng.randrange(n + 1), rng.randrange(n + 1)))
        return a, b
    a = rng.randrange(n + 1)
    b = a
    for _ in range(1 + rng.randrange(4)):
        nl = text.find("\n", b)
        if nl < 0:
            b = n
            break
        b = nl + 1
    return a, min(b, n)


def fim_transform(text, rng, split=None):
    a, b = split or split_points(text, rng)
    prefix, middle, suffix = text[:a], text[a:b], text[b:]
    if rng.random() < 0.5:
        return f"{FIM_PREFIX}{prefix}{FIM_SUFFIX}{suffix}{FIM_MIDDLE}{middle}{EOT}"
    return f"{FIM_PREFIX}{FIM_SUFFIX}{suffix}{FIM_MIDDLE}{prefix}{middle}{EOT}"


# As the extension's snippet query: the complete lines before the cursor's line, at most this many.
QUERY_LINES = 12


def lines_before(text, offset):
    """The complete lines before the line holding `offset` (QUERY_LINES at most), or that line's
    start when there are none: the text the extension compares snippets with at a cursor there."""
    line_start = text.rfind("\n", 0, offset) + 1
    if line_start == 0:
        return text[:offset]
    return "\n".join(text[:line_start].split("\n")[-QUERY_LINES - 1:])


def training_text(doc, rng, fim_rate=0.5, path_rate=0.5, context_for=None, chunk_chars=CHUNK_CHARS,
                  query_before_cursor=False):
    """One corpus document as training text: plain (optionally headed by its path) or FIM chunks
    of about `chunk_chars` characters. `context_for(query)`, when given, returns text to put
    before the document or before each FIM chunk (repository context, see repo_context.py).

    `query_before_cursor` chooses that context as the extension does, by the lines before the
    cursor (before a FIM chunk's middle; a plain document's first lines), not by the text the
    model is about to predict: chosen by the future, snippets are more relevant than they ever
    are at a real cursor, and a model trained on them copies from them too readily."""
    text = doc["text"]
    context = context_for or (lambda query: "")
    if rng.random() < fim_rate:
        parts = []
        for chunk in chunks_at_lines(text, chunk_chars):
            if query_before_cursor:
                split = split_points(chunk, rng)
                parts.append(context(lines_before(chunk, split[0])) + fim_transform(chunk, rng, split))
            else:
                parts.append(context(chunk) + fim_transform(chunk, rng))
        return "".join(parts)
    header = f"{FILE_SEP}{doc['path']}\n" if rng.random() < path_rate else ""
    query = "\n".join(text.split("\n", QUERY_LINES)[:QUERY_LINES]) if query_before_cursor else text
    return f"{context(query)}{header}{text}{EOT}"
