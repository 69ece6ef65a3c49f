"""Pattern lists: short training documents where one line's template repeats with one name
varying, drawn from the code of the document they follow.

Code is full of such runs (constructor assignments, re-exports, requires, getters), and the
few-shot transform command (src/core/prompts/fewShotPrompt.ts) asks the model to continue one:
`input → output` lines, then a new input. Learning that takes an induction mechanism (find the
earlier line that matches, copy what followed, with the new name put in), which a small model
trained on natural text alone forms slowly. A few percent of pattern lists teach it directly, in
three shapes: the code lines alone; `name → line`; and `name → name in another case` (renaming
style). Templates, names and separators all come from the corpus document or are drawn at
random, so no evaluation pattern is written into the data.
"""
import re

from .fim import EOT

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
KEYWORDS = set("""abstract async await boolean break case catch class const continue default delete do else enum
export extends false finally for from function get if implements import in instanceof interface let new null number
of package private protected public readonly return set static string super switch this throw true try type typeof
undefined var void while with yield def self None True False elif lambda pass raise""".split())
# The few-shot command's separators (src/core/prompts/fewShotExamples.ts), with its usual spacing.
JOINERS = (" → ", " -> ", " => ", ": ", "\t")
FORMS = ("camel", "pascal", "snake", "upper")
MIN_ITEMS, MAX_ITEMS = 6, 12


def words_of(name):
    """fooBarBaz, FooBar, foo_bar, FOO_BAR -> ['foo', 'bar', ...]; None for names without letters."""
    parts = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", name)
    words = [p.lower() for p in parts]
    return words if words and words[0].isalpha() else None


def render(words, form):
    if form == "camel":
        return words[0] + "".join(w.capitalize() for w in words[1:])
    if form == "pascal":
        return "".join(w.capitalize() for w in words)
    if form == "snake":
        return "_".join(words)
    return "_".join(words).upper()


def form_of(name):
    if "_" in name.strip("_"):
        return "upper" if name.isupper() else "snake"
    if name[0].isupper():
        return "upper" if name.isupper() and len(name) > 1 else "pascal"
    return "camel"


def names_in(text):
    """Distinct non-keyword names of 3 to 30 characters, in order of first appearance."""
    seen = {}
    for name in NAME.findall(text):
        if 3 <= len(name) <= 30 and name not in KEYWORDS and words_of(name):
            seen.setdefault(name, None)
    return list(seen)


def template_of(line, name):
    """`line` as a list of literal strings and form slots, where every spelling of `name`'s words
    (fooBar, FooBar, foo_bar, FOO_BAR) stands as a slot; None when none is at a word boundary."""
    words = words_of(name)
    # Where spellings coincide (name: camel and snake), the name's own form wins, then camel.
    by_priority = ["snake", "upper", "pascal", "camel", form_of(name)]
    spellings = sorted({render(words, form): form for form in by_priority}.items(), key=lambda kv: -len(kv[0]))
    pattern = "|".join(
        # Lower-case spellings start a word; capitalised ones may also start a camel hump (getName).
        (r"(?<![A-Za-z0-9_$])" if text[0].islower() else r"(?<![A-Z0-9])") + re.escape(text) + r"(?![a-z0-9])"
        for text, _ in spellings)
    forms = dict(spellings)
    parts, last = [], 0
    for match in re.finditer(pattern, line):
        parts += [line[last:match.start()], ("slot", forms[match.group(0)])]
        last = match.end()
    parts.append(line[last:])
    return parts if len(parts) > 1 else None


def fill(template, words):
    return "".join(render(words, part[1]) if isinstance(part, tuple) else part for part in template)


def pattern_document(text, rng):
    """One pattern list from names and lines of `text`, ended by <|endoftext|>; '' if it has too few."""
    names = names_in(text)
    lines = [line.strip() for line in text.split("\n") if 8 <= len(line.strip()) <= 80]
    if len(names) < MIN_ITEMS + 1 or not lines:
        return ""
    items = rng.sample(names, min(len(names), rng.randint(MIN_ITEMS, MAX_ITEMS)))
    joiner = rng.choice(JOINERS)
    if rng.random() < 0.2:
        source, target = rng.sample(FORMS, 2)
        words = [w for w in (words_of(name) for name in items) if len(w) >= 2]
        body = [f"{render(w, source)}{joiner}{render(w, target)}" for w in words]
        return "\n".join(body) + f"\n{EOT}" if len(body) >= 3 else ""
    for _ in range(8):
        line = rng.choice(lines)
        in_line = [name for name in names_in(line) if name in names]
        template = template_of(line, rng.choice(in_line)) if in_line else None
        if template:
            break
    else:
        return ""
    filled = [(name, fill(template, words_of(name))) for name in items]
    if rng.random() < 1 / 3:
        return "\n".join(code for _, code in filled) + f"\n{EOT}"
    return "\n".join(f"{name}{joiner}{code}" for name, code in filled) + f"\n{EOT}"
