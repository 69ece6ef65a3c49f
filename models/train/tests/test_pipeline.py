"""Tests of the model pipeline: tokenizer, FIM, model, export + quantization, training resume.

Run: /usr/bin/python3 -m unittest discover -s models/train/tests -v   (part of `npm test`)
Uses small synthetic inputs and the committed tokenizer; about a minute on 2 cores.
"""
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import unittest
from collections import Counter

import numpy as np
import onnx
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
TRAIN = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(TRAIN))
sys.path.insert(0, TRAIN)
from lgc import bpe, fim, patterns, repo_context  # noqa: E402
from lgc.checkpoint import load_model, save_fp16  # noqa: E402
from lgc.corpus import TOKENIZER_PATH  # noqa: E402
from lgc.model import GPT, GPTConfig  # noqa: E402
from promote import baseline_val  # noqa: E402

SAMPLES = [
    "export function add(a: number, b: number): number {\n    return a + b;\n}\n",
    "def f(x):\n\tif x:\n\t\treturn [1, 22, 333, 4444]\n\n\n    # trailing   \n",
    "const s = 'héllo wörld 日本語 😀';\r\n  x  =  12345;\n",
    "",
    "   \n\n \t \n",
]
TINY = GPTConfig(vocab_size=300, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=2, intermediate_size=64)


class BpeTest(unittest.TestCase):
    def test_training_learns_frequent_merges_and_round_trips(self):
        text = "function foo() {\n    return foo;\n}\n" * 50
        counts = Counter(bpe.pretokenize(text))
        merges = bpe.train(counts, 256 + len(bpe.SPECIAL_TOKENS) + 20, log=None)
        self.assertEqual(len(merges), 20)
        enc = bpe.Encoder(bpe.tokenizer_json(merges))
        ids = enc.encode_ordinary(text)
        self.assertLess(len(ids), len(text.encode()) / 3)
        for s in SAMPLES + [text]:
            self.assertEqual(enc.decode(enc.encode_ordinary(s)), s)

    def test_pretokenizer_keeps_newline_with_indentation(self):
        self.assertEqual(bpe.pretokenize("{\n    return x;\n}"), ["{", "\n    ", "return", " x", ";", "\n", "}"])
        self.assertIn(" 42", bpe.pretokenize("x = 42"))

    def test_committed_tokenizer_special_tokens_and_round_trip(self):
        with open(TOKENIZER_PATH, encoding="utf-8") as f:
            tok = bpe.truncated(json.load(f), 8192)
        enc = bpe.Encoder(tok)
        self.assertEqual(len(tok["model"]["vocab"]), 8192)
        for i, name in enumerate(bpe.SPECIAL_TOKENS):
            self.assertEqual(enc.special[name], i)
        for s in SAMPLES:
            self.assertEqual(enc.decode(enc.encode(s)), s)
        self.assertEqual(enc.encode("<|fim_prefix|>a<|fim_suffix|>"), [1, *enc.encode_ordinary("a"), 3])

    def test_javascript_tokenizer_gives_the_same_ids(self):
        """The extension tokenizes with @huggingface/tokenizers: ids must match the training encoder."""
        with open(TOKENIZER_PATH, encoding="utf-8") as f:
            tok = bpe.truncated(json.load(f), 8192)
        enc = bpe.Encoder(tok)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "tokenizer.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(tok, f, ensure_ascii=False)
            script = ("const fs=require('fs');const {Tokenizer}=require('@huggingface/tokenizers');"
                      "const t=new Tokenizer(JSON.parse(fs.readFileSync(process.argv[1],'utf8')),{});"
                      "const docs=JSON.parse(fs.readFileSync(0,'utf8'));"
                      "process.stdout.write(JSON.stringify(docs.map(d=>t.encode(d,{add_special_tokens:false}).ids)))")
            out = subprocess.run(["node", "-e", script, path], input=json.dumps(SAMPLES), capture_output=True,
                                 text=True, check=True, cwd=REPO)
        self.assertEqual(json.loads(out.stdout), [enc.encode(s) for s in SAMPLES])


class FimTest(unittest.TestCase):
    def test_transforms_keep_every_character(self):
        rng = random.Random(3)
        text = "".join(f"line {i}: value = {i * i};\n" for i in range(40))
        for _ in range(200):
            out = fim.fim_transform(text, rng)
            self.assertTrue(out.startswith(fim.FIM_PREFIX) and out.endswith(fim.EOT))
            body = out[len(fim.FIM_PREFIX):-len(fim.EOT)]
            if body.startswith(fim.FIM_SUFFIX):  # SPM: suffix, then prefix + middle
                suffix, prefix_middle = body[len(fim.FIM_SUFFIX):].split(fim.FIM_MIDDLE)
                self.assertEqual(prefix_middle + suffix, text)
            else:  # PSM
                prefix, rest = body.split(fim.FIM_SUFFIX)
                suffix, middle = rest.split(fim.FIM_MIDDLE)
                self.assertEqual(prefix + middle + suffix, text)

    def test_chunks_fit_a_window_and_cover_the_text(self):
        text = "".join(f"{'x' * (i % 90)}\n" for i in range(500))
        chunks = fim.chunks_at_lines(text)
        self.assertEqual("".join(chunks), text)
        self.assertTrue(all(len(c) <= fim.CHUNK_CHARS + 200 for c in chunks))


class RepoContextTest(unittest.TestCase):
    SIBLINGS = [
        ("src/user.ts", "\n".join(["export interface UserRecord {", "  userName: string;", "  emailAddress: string;", "}"]
                                  + [f"// filler line {i} about nothing in particular" for i in range(30)])),
        ("src/colors.ts", "\n".join([f"export const colorValue{i} = '#{i:06x}'; // palette entry number {i}" for i in range(40)])),
    ]

    def test_picks_the_sibling_window_sharing_identifiers_with_the_query(self):
        query = "function greet(user: UserRecord) {\n  return user.userName + user.emailAddress;\n}\n"
        siblings = [(path, repo_context.windows(text)) for path, text in self.SIBLINGS]
        snippets = repo_context.pick_snippets(query, siblings, random.Random(3))
        self.assertTrue(snippets)
        self.assertEqual(snippets[0][0], "src/user.ts")
        self.assertIn("emailAddress", snippets[0][1])
        self.assertLessEqual(sum(len(window) for _, window in snippets), repo_context.BUDGET_CHARS)
        self.assertEqual(repo_context.pick_snippets("x = 1\n", siblings, random.Random(3)), [], "no shared identifiers")

    def test_context_has_the_extensions_template_and_precedes_fim_chunks(self):
        text = repo_context.context_text([("a/b.ts", "const x = 1;")])
        self.assertEqual(text, "<|file_sep|>a/b.ts\nconst x = 1;\n<|endoftext|>")
        doc = {"path": "c.ts", "text": "let y = 2;\n" * 300}
        out = fim.training_text(doc, random.Random(1), fim_rate=1.0, context_for=lambda query: "CTX")
        chunks = out.split("CTX")[1:]
        self.assertEqual(len(chunks), len(fim.chunks_at_lines(doc["text"])))
        self.assertTrue(all(chunk.startswith(fim.FIM_PREFIX) for chunk in chunks))


    def test_context_can_be_chosen_by_the_lines_before_the_cursor_only(self):
        lines = [f"const value{i} = {i};" for i in range(400)]
        doc = {"path": "c.ts", "text": "\n".join(lines) + "\n"}
        queries = []
        out = fim.training_text(doc, random.Random(5), fim_rate=1.0, query_before_cursor=True,
                                context_for=lambda query: queries.append(query) or "CTX")
        self.assertEqual(len(queries), len(fim.chunks_at_lines(doc["text"])))
        psm = 0
        for query, chunk in zip(queries, out.split("CTX")[1:]):
            self.assertLessEqual(query.count("\n"), fim.QUERY_LINES)
            if chunk.startswith(fim.FIM_PREFIX + fim.FIM_SUFFIX):
                continue  # SPM: prefix and middle run together, the cursor is not marked
            psm += 1
            prefix = chunk[len(fim.FIM_PREFIX):chunk.index(fim.FIM_SUFFIX)]
            before_cursor_line = prefix[:prefix.rfind("\n") + 1] if "\n" in prefix else prefix
            self.assertTrue(before_cursor_line.endswith(query), "the query is the end of the text before the cursor's line")
        self.assertGreater(psm, 0)
        plain = []
        fim.training_text(doc, random.Random(5), fim_rate=0.0, query_before_cursor=True, context_for=lambda q: plain.append(q) or "")
        self.assertEqual(plain, ["\n".join(lines[:fim.QUERY_LINES])])
        self.assertEqual(fim.lines_before("a\nb\nc", 5), "a\nb\n")
        self.assertEqual(fim.lines_before("abc", 2), "ab")


class PatternsTest(unittest.TestCase):
    def test_a_template_holds_every_spelling_of_the_name_and_fills_with_another(self):
        template = patterns.template_of("getName(): string { return this.name; }", "name")
        self.assertEqual(patterns.fill(template, ["email", "address"]), "getEmailAddress(): string { return this.emailAddress; }")
        self.assertEqual(patterns.fill(patterns.template_of("const MAX_SIZE = opts.maxSize;", "maxSize"), ["min", "width"]),
                         "const MIN_WIDTH = opts.minWidth;")
        self.assertIsNone(patterns.template_of("rename(names)", "name"), "only whole names or camel humps")

    def test_pattern_lists_come_from_the_document_and_end_it(self):
        text = "\n".join(f"export const {n} = require('./{n}');" for n in
                         ["alphaValue", "betaValue", "gammaRay", "deltaForce", "epsilonZero", "zetaJones", "etaCarinae", "thetaWave"])
        shapes = set()
        for seed in range(40):
            doc = patterns.pattern_document(text, random.Random(seed))
            self.assertEqual(doc, patterns.pattern_document(text, random.Random(seed)), "seeded")
            self.assertTrue(doc.endswith(f"\n{fim.EOT}"))
            lines = doc[:-len(fim.EOT) - 1].split("\n")
            self.assertGreaterEqual(len(lines), 3)
            joiner = next((j for j in patterns.JOINERS if j in lines[0]), None)
            shapes.add("code" if joiner is None else "case" if "require" not in lines[0] else "template")
        self.assertEqual(shapes, {"code", "case", "template"})
        self.assertEqual(patterns.pattern_document("x = 1\n", random.Random(1)), "", "too few names")


class EvalContextTest(unittest.TestCase):
    def test_copyable_tokens_are_bigrams_of_the_context_new_to_the_document(self):
        import eval_context
        context = [5, 6, 7, 8]
        body = [1, 5, 6, 9, 5, 6, 7]
        # (5,6) at 1 is new and in the context; at 4 the document has had it; (6,7) at 5 is new.
        self.assertEqual(eval_context.copyable_positions(context, body), [1, 5])
        self.assertEqual(eval_context.copyable_positions([], body), [])


class ModelTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.model = GPT(TINY).eval()

    def test_kv_cache_matches_full_forward(self):
        x = torch.randint(0, TINY.vocab_size, (2, 11))
        full, _ = self.model(x)
        a, past = self.model(x[:, :6])
        b, _ = self.model(x[:, 6:], past_key_values=past)
        self.assertLess((torch.cat([a, b], 1) - full).abs().max().item(), 1e-5)

    def test_attention_is_causal_and_respects_the_mask(self):
        x = torch.randint(0, TINY.vocab_size, (1, 8))
        y = x.clone()
        y[0, 7] = (x[0, 7] + 1) % TINY.vocab_size
        self.assertTrue(torch.allclose(self.model(x)[0][:, :7], self.model(y)[0][:, :7], atol=1e-6))
        mask = torch.ones(1, 8, dtype=torch.long)
        mask[0, 2] = 0
        z = x.clone()
        z[0, 2] = (x[0, 2] + 5) % TINY.vocab_size
        self.assertTrue(torch.allclose(self.model(x, mask)[0][:, 3:], self.model(z, mask)[0][:, 3:], atol=1e-5))

    def test_training_loss_equals_cross_entropy_of_logits(self):
        x = torch.randint(0, TINY.vocab_size, (1, 9))
        logits, _ = self.model(x)
        expected = torch.nn.functional.cross_entropy(logits[0, :-1], x[0, 1:])
        self.assertAlmostEqual(self.model.loss(x[:, :-1], x[:, 1:]).item(), expected.item(), places=5)


class ExportTest(unittest.TestCase):
    def test_export_quantize_and_run_in_onnxruntime_web(self):
        """Export a tiny trained-looking model, quantize it, and decode it through onnxruntime-web."""
        torch.manual_seed(1)
        model = GPT(TINY)
        with tempfile.TemporaryDirectory() as tmp:
            ckpt = os.path.join(tmp, "ck.pt")
            save_fp16(ckpt, model, {"step": 0, "tokens": 0, "best_val": 0.0, "train_seq": 96})
            folder = os.path.join(tmp, "model")
            tok = os.path.join(tmp, "tokenizer.json")
            with open(TOKENIZER_PATH, encoding="utf-8") as f, open(tok, "w", encoding="utf-8") as out:
                json.dump(json.load(f), out, ensure_ascii=False)
            py = sys.executable
            subprocess.run([py, os.path.join(TRAIN, "export_onnx.py"), ckpt, folder, "--tokenizer", tok],
                           check=True, capture_output=True)
            subprocess.run([py, os.path.join(TRAIN, "quantize.py"), folder], check=True, capture_output=True)
            with open(os.path.join(folder, "config.json")) as f:
                config = json.load(f)
            self.assertEqual(config["vocab_size"], TINY.vocab_size)
            self.assertEqual(config["eos_token_id"], 0)
            self.assertEqual(config["max_position_embeddings"], 96)  # the trained context, not RoPE's reach
            val = os.path.join(tmp, "val.bin")
            np.random.default_rng(0).integers(0, TINY.vocab_size, 4000).astype(np.uint16).tofile(val)
            out = subprocess.run([py, os.path.join(TRAIN, "check_quantization.py"), ckpt, folder, "--data", val,
                                  "--windows", "2", "--length", "24", "--min-agreement", "0.9"],
                                 check=True, capture_output=True, text=True, cwd=REPO)
            report = json.loads(out.stdout)
            self.assertEqual(report["top1_fp32_vs_torch"], 1.0)
            self.assertAlmostEqual(report["onnx_fp32_loss"], report["torch_loss"], places=3)
            self.assertLess(report["size_q8_mb"], report["size_fp32_mb"])
            quantized = onnx.load(os.path.join(folder, "onnx", "model_quantized.onnx"))
            tables = [i.name for i in quantized.graph.initializer
                      if list(i.dims) == [TINY.vocab_size, TINY.hidden_size] and i.data_type == onnx.TensorProto.FLOAT]
            self.assertEqual(tables, [], "the tied embedding reads the output projection's uint8 weights")


def tiny_training_command(tmp):
    data = os.path.join(tmp, "data")
    os.makedirs(data)
    pattern = np.tile(np.arange(50, dtype=np.uint16), 400)
    pattern.tofile(os.path.join(data, "train.bin"))
    pattern[:5000].tofile(os.path.join(data, "val.bin"))
    config = os.path.join(tmp, "tiny.json")
    with open(config, "w") as f:
        json.dump(TINY.to_dict(), f)
    return [sys.executable, os.path.join(TRAIN, "train.py"), "--config", config, "--data", data,
            "--batch", "4", "--seq", "32", "--warmup", "5", "--eval-every", "20", "--eval-windows", "8",
            "--lr", "3e-3", "--threads", "1"]


class TrainingTest(unittest.TestCase):
    def test_sigterm_stops_after_the_step_with_a_final_eval_and_save(self):
        with tempfile.TemporaryDirectory() as tmp:
            run = os.path.join(tmp, "run")
            proc = subprocess.Popen(tiny_training_command(tmp) + ["--run", run, "--max-steps", "1000000"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            for line in proc.stdout:
                if '"step"' in line:
                    proc.send_signal(signal.SIGTERM)
                    break
            proc.stdout.read()
            self.assertEqual(proc.wait(timeout=120), 0)
            with open(os.path.join(run, "log.jsonl")) as f:
                last = json.loads(f.readlines()[-1])
            self.assertEqual(last.get("event"), "stop")
            _, ckpt = load_model(os.path.join(run, "latest.pt"))
            self.assertEqual(ckpt["state"]["step"], last["step"])

    def test_loss_falls_and_training_resumes_from_fp16_weights(self):
        with tempfile.TemporaryDirectory() as tmp:
            common = tiny_training_command(tmp)
            run1 = os.path.join(tmp, "run1")
            subprocess.run(common + ["--run", run1, "--max-steps", "40"], check=True, capture_output=True)
            with open(os.path.join(run1, "log.jsonl")) as f:
                vals = [json.loads(l)["val_loss"] for l in f if "val_loss" in l]
            self.assertLess(vals[-1], vals[0] - 1.0)
            run2 = os.path.join(tmp, "run2")
            subprocess.run(common + ["--run", run2, "--max-steps", "20", "--init", os.path.join(run1, "best-fp16.pt")],
                           check=True, capture_output=True)
            _, ckpt = load_model(os.path.join(run2, "latest.pt"))
            self.assertEqual(ckpt["state"]["step"], 60)
            self.assertEqual(ckpt["state"]["train_seq"], 32)
            self.assertIn("init_val", ckpt["state"])


class PromoteTest(unittest.TestCase):
    def test_a_run_beats_the_committed_weights_of_its_own_split(self):
        # Fresh from the committed weights (step 100): they were measured on this run's split.
        fresh = {"step": 400, "rewarm_from": 100, "init_val": 3.0, "best_val": 2.9}
        self.assertEqual(baseline_val(fresh, {"step": 100, "rewarm_from": 0, "best_val": 2.5}), 3.0)
        # Resumed in a later session after its step-300 weights were promoted: those are the bar,
        # not the initial 3.0, or a run that got worse since (2.9 > 2.8) would replace them.
        self.assertEqual(baseline_val(fresh, {"step": 300, "rewarm_from": 100, "init_val": 3.0, "best_val": 2.8}), 2.8)
        self.assertIsNone(baseline_val(fresh, None))
        self.assertEqual(baseline_val({"step": 5, "best_val": 4.0}, {"step": 9, "best_val": 3.5}), 3.5)


if __name__ == "__main__":
    unittest.main()
