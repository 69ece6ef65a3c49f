"""Byte-level BPE: training, encoding, and the Hugging Face tokenizer.json writer.

The pre-tokenizer keeps a newline together with the indentation that follows it, so that
code indentation becomes a handful of frequent tokens instead of runs of single spaces.
The same pattern is written into tokenizer.json, so JavaScript tokenizers split identically.
"""
import heapq
import json
from collections import Counter

import regex

# Words may carry one leading non-letter (" foo", ".foo", "(foo"); digits (with an optional leading space) go in groups of
# at most three; a line break swallows the trailing spaces before it and the indent after it.
PRETOKEN_PATTERN = (
    r"[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+"
    r"| ?\p{N}{1,3}"
    r"| ?[^\s\p{L}\p{N}]+"
    r"|\s*[\r\n][ \t]*"
    r"|\s+(?!\S)"
    r"|\s+"
)
PRETOKEN_RE = regex.compile(PRETOKEN_PATTERN)

MAX_TRAINING_PIECE_BYTES = 48

SPECIAL_TOKENS = [
    "<|endoftext|>",
    "<|fim_prefix|>",
    "<|fim_middle|>",
    "<|fim_suffix|>",
    "<|fim_pad|>",
    "<|file_sep|>",
]


def bytes_to_unicode():
    """GPT-2's reversible map from bytes to printable characters (so tokens are valid JSON strings)."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    chars = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
    return {b: chr(c) for b, c in zip(printable, chars)}


BYTE_TO_CHAR = bytes_to_unicode()


def pretokenize(text):
    return PRETOKEN_RE.findall(text)


def train(word_counts, vocab_size, log=print):
    """Learn merges over byte sequences; returns a list of (left_bytes, right_bytes) pairs.

    Incremental pair counts with a lazy max-heap: each merge only touches the words that
    contain the merged pair, which keeps 16k merges over ~10^6 distinct words in minutes.
    """
    n_merges = vocab_size - 256 - len(SPECIAL_TOKENS)
    symbols = {i: bytes([i]) for i in range(256)}
    words = []
    freqs = []
    for word, count in word_counts.items():
        data = word.encode("utf-8")
        # Very long pre-tokens (base64, hex blobs, separator lines) make no useful tokens and each
        # merge that touches one costs its full length.
        if 1 < len(data) <= MAX_TRAINING_PIECE_BYTES:
            words.append(list(data))
            freqs.append(count)
    pair_counts = Counter()
    pair_words = {}
    for idx, (w, f) in enumerate(zip(words, freqs)):
        for pair in zip(w, w[1:]):
            pair_counts[pair] += f
            pair_words.setdefault(pair, set()).add(idx)
    heap = [(-c, symbols[p[0]], symbols[p[1]], p) for p, c in pair_counts.items()]
    heapq.heapify(heap)
    merges = []
    next_id = 256
    while len(merges) < n_merges and heap:
        neg, _, _, pair = heapq.heappop(heap)
        current = pair_counts.get(pair, 0)
        if current <= 0:
            continue
        if -neg != current:
            heapq.heappush(heap, (-current, symbols[pair[0]], symbols[pair[1]], pair))
            continue
        new_id = next_id
        next_id += 1
        symbols[new_id] = symbols[pair[0]] + symbols[pair[1]]
        merges.append((symbols[pair[0]], symbols[pair[1]]))
        touched = Counter()
        for idx in pair_words.pop(pair, ()):
            w = words[idx]
            f = freqs[idx]
            for p in zip(w, w[1:]):
                touched[p] -= f
            merged = []
            i = 0
            while i < len(w):
                if i + 1 < len(w) and w[i] == pair[0] and w[i + 1] == pair[1]:
                    merged.append(new_id)
                    i += 2
                else:
                    merged.append(w[i])
                    i += 1
            words[idx] = merged
            for p in zip(merged, merged[1:]):
                touched[p] += f
                pair_words.setdefault(p, set()).add(idx)
        pair_counts.pop(pair, None)
        for p, delta in touched.items():
            if delta == 0 or p == pair:
                continue
            c = pair_counts[p] + delta
            pair_counts[p] = c
            if delta > 0:
                heapq.heappush(heap, (-c, symbols[p[0]], symbols[p[1]], p))
        if log and len(merges) % 1000 == 0:
            log(f"merges {len(merges)}/{n_merges} last={symbols[new_id]!r} count={current}")
    return merges


def to_token_string(data):
    return "".join(BYTE_TO_CHAR[b] for b in data)


def tokenizer_json(merges):
    """Build a Hugging Face tokenizer.json dict (ByteLevel BPE with our Split pre-tokenizer)."""
    vocab = {}
    added = []
    for i, tok in enumerate(SPECIAL_TOKENS):
        vocab[tok] = i
        added.append({"id": i, "content": tok, "single_word": False, "lstrip": False,
                      "rstrip": False, "normalized": False, "special": True})
    for b in range(256):
        vocab[BYTE_TO_CHAR[b]] = len(vocab)
    merge_strings = []
    for left, right in merges:
        ls, rs = to_token_string(left), to_token_string(right)
        merge_strings.append(f"{ls} {rs}")
        vocab[ls + rs] = len(vocab)
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": PRETOKEN_PATTERN}, "behavior": "Isolated", "invert": False},
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False},
            ],
        },
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False},
        "model": {
            "type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
            "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False,
            "ignore_merges": False, "vocab": vocab, "merges": merge_strings,
        },
    }


def tokenizer_config():
    eos = SPECIAL_TOKENS[0]
    return {
        "tokenizer_class": "GPT2Tokenizer",
        "model_max_length": 2048,
        "add_bos_token": False,
        "add_eos_token": False,
        "bos_token": None,
        "eos_token": eos,
        "pad_token": eos,
        "unk_token": None,
        "clean_up_tokenization_spaces": False,
        "additional_special_tokens": SPECIAL_TOKENS[1:],
        "added_tokens_decoder": {
            str(i): {"content": t, "lstrip": False, "normalized": False, "rstrip": False,
                     "single_word": False, "special": True}
            for i, t in enumerate(SPECIAL_TOKENS)
        },
    }


class Encoder:
    """Applies merges by rank, as the Hugging Face BPE model does, with a per-pretoken cache."""

    def __init__(self, tokenizer):
        model = tokenizer["model"]
        self.vocab = model["vocab"]
        self.ranks = {}
        for rank, m in enumerate(model["merges"]):
            left, right = m.split(" ") if isinstance(m, str) else m
            self.ranks[(left, right)] = rank
        self.special = {t["content"]: t["id"] for t in tokenizer["added_tokens"]}
        self.special_re = regex.compile("|".join(regex.escape(s) for s in self.special))
        self.cache = {}
        self.id_to_bytes = {}
        char_to_byte = {c: b for b, c in BYTE_TO_CHAR.items()}
        for tok, i in self.vocab.items():
            if tok in self.special:
                self.id_to_bytes[i] = tok.encode("utf-8")
            else:
                self.id_to_bytes[i] = bytes(char_to_byte[c] for c in tok)

    def _bpe(self, piece):
        parts = [BYTE_TO_CHAR[b] for b in piece.encode("utf-8")]
        while len(parts) > 1:
            best = None
            best_rank = None
            for i in range(len(parts) - 1):
                r = self.ranks.get((parts[i], parts[i + 1]))
                if r is not None and (best_rank is None or r < best_rank):
                    best, best_rank = i, r
            if best is None:
                break
            parts[best:best + 2] = [parts[best] + parts[best + 1]]
        return [self.vocab[p] for p in parts]

    def encode_ordinary(self, text):
        out = []
        cache = self.cache
        for piece in PRETOKEN_RE.findall(text):
            ids = cache.get(piece)
            if ids is None:
                ids = self._bpe(piece)
                if len(cache) < 2_000_000:
                    cache[piece] = ids
            out.extend(ids)
        return out

    def encode(self, text):
        """Encode text where special-token strings are mapped to their ids."""
        out = []
        pos = 0
        for m in self.special_re.finditer(text):
            out.extend(self.encode_ordinary(text[pos:m.start()]))
            out.append(self.special[m.group(0)])
            pos = m.end()
        out.extend(self.encode_ordinary(text[pos:]))
        return out

    def decode(self, ids):
        return b"".join(self.id_to_bytes[i] for i in ids).decode("utf-8", errors="replace")


def truncated(tokenizer, vocab_size):
    """The first merges of a BPE run form a valid smaller tokenizer (used for the fixture model)."""
    t = json.loads(json.dumps(tokenizer))
    n_merges = vocab_size - 256 - len(SPECIAL_TOKENS)
    t["model"]["merges"] = t["model"]["merges"][:n_merges]
    t["model"]["vocab"] = {k: v for k, v in t["model"]["vocab"].items() if v < vocab_size}
    return t
