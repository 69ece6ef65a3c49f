"""Tests of quantize.py's activation schemes, run through onnxruntime-web as the extension runs them.

Run: /usr/bin/python3 -m unittest discover -s models/train/tests -v   (part of `npm test`)
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
TRAIN = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(TRAIN))
sys.path.insert(0, TRAIN)
from quantize import quantize_model  # noqa: E402

K, N = 48, 40

# Runs the model on each input of stdin's list and prints the outputs, flattened.
RUN_SCRIPT = """
const fs = require('fs');
const ort = require('onnxruntime-web');
ort.env.wasm.numThreads = 1;
(async () => {
  const session = await ort.InferenceSession.create(process.argv[1], { executionProviders: ['wasm'] });
  const outputs = [];
  for (const rows of JSON.parse(fs.readFileSync(0, 'utf8'))) {
    const x = new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, rows[0].length]);
    outputs.push(Array.from((await session.run({ x })).y.data));
  }
  process.stdout.write(JSON.stringify(outputs));
})();
"""


def single_matmul(weights):
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"])], "matmul",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["rows", K])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["rows", N])],
        [numpy_helper.from_array(weights, "w")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


class ActivationSchemeTest(unittest.TestCase):
    def run_quantized(self, activations, inputs, weights):
        model = single_matmul(weights)
        quantize_model(model, activations)
        onnx.checker.check_model(model)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "model.onnx")
            onnx.save(model, path)
            out = subprocess.run(["node", "-e", RUN_SCRIPT, path], input=json.dumps([x.tolist() for x in inputs]),
                                 capture_output=True, text=True, check=True, cwd=REPO)
        return [np.array(y, dtype=np.float32).reshape(-1, N) for y in json.loads(out.stdout)]

    def test_a_tokens_result_does_not_depend_on_the_tokens_run_with_it(self):
        """A prompt prefilled in one run or several (KV cache reuse) must give each token the same
        result: per-token ranges do; one range for the whole input (per-tensor) does not, since a
        large activation elsewhere coarsens every other token's levels."""
        rng = np.random.default_rng(3)
        weights = rng.normal(0, 0.2, (K, N)).astype(np.float32)
        token = rng.normal(0, 1, (1, K)).astype(np.float32)
        outlier = rng.normal(0, 1, (1, K)).astype(np.float32) * 40
        together = np.concatenate([token, outlier])
        exact = token @ weights
        scale = np.abs(exact).max()

        alone, with_outlier = self.run_quantized("per-token", [token, together], weights)
        np.testing.assert_array_equal(alone[0], with_outlier[0])
        self.assertLess(np.abs(alone[0] - exact[0]).max() / scale, 0.02)

        alone, with_outlier = self.run_quantized("per-tensor", [token, together], weights)
        self.assertLess(np.abs(alone[0] - exact[0]).max() / scale, 0.02)
        self.assertGreater(np.abs(with_outlier[0] - exact[0]).max() / scale, 0.05)

    def test_a_constant_row_is_exact(self):
        """A row with no range (all equal, e.g. all zeros) must not divide by zero."""
        weights = np.random.default_rng(4).normal(0, 0.2, (K, N)).astype(np.float32)
        rows = np.stack([np.zeros(K, np.float32), np.full(K, 0.5, np.float32)])
        (y,) = self.run_quantized("per-token", [rows], weights)
        self.assertTrue(np.isfinite(y).all())
        np.testing.assert_allclose(y, rows @ weights, atol=0.02 * np.abs(rows @ weights).max())


if __name__ == "__main__":
    unittest.main()
