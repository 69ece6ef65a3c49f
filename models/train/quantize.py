"""Quantize an exported model's MatMul weights to uint8 for onnxruntime-web's WASM backend.

Usage: /usr/bin/python3 models/train/quantize.py MODEL_DIR [--activations per-token|per-tensor]
Reads MODEL_DIR/onnx/model.onnx, writes MODEL_DIR/onnx/model_quantized.onnx (the name
transformers.js loads for dtype "q8").

Weights are asymmetric uint8 with one scale per output column. Activations are quantized at run
time; how is the choice:

per-token (default): each token's row gets its own symmetric range, so a token's result does not
depend on the other tokens run with it. A prompt prefilled in one run, in several, or partly served
from the KV cache then decodes alike (up to fp32 rounding in attention), and a suggestion does not
change with cache history:
  s = max(ReduceMax(|X|, -1), tiny) / 127, Xq = uint8(Round(X / s) + 128)
  Y = Cast(MatMulInteger(Xq, Wq, 128, Wzp[N])) * (s * Wscale[N])
Symmetric (one scale, no offset) takes fewer nodes than an asymmetric row range; measured on
lgc-small, it changes 1 of 150 greedy continuations between a cold and a warm cache, per-tensor 35.

per-tensor: one range for the whole input, the pattern onnxruntime fuses into
DynamicQuantizeMatMul (the fastest form in the WASM probe; weight-only QDQ and 4-bit MatMulNBits
were several times slower). Its result for a token depends on the tokens in the same run:
  DynamicQuantizeLinear(X) -> MatMulInteger(Xq, Wq, Xzp, Wzp[N]) -> Cast(float) -> Mul(Xscale * Wscale[N])

Inputs shared by several MatMuls (q, k, v) are quantized once.

With tied embeddings, the output projection's uint8 weights (one scale per vocabulary entry) are
the embedding table quantized per row, so the input embedding reads them too:
  Gather(Wq, ids, axis=1) -> Transpose -> Cast(float) -> Sub(Wzp[ids]) -> Mul(Wscale[ids])
and the fp32 table (half the file) is dropped.
"""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def quantize_columns(w):
    """Asymmetric uint8 per output column; the range always includes 0 so zero stays exact."""
    lo = np.minimum(w.min(axis=0), 0.0)
    hi = np.maximum(w.max(axis=0), 0.0)
    scale = (hi - lo) / 255.0
    scale[scale == 0] = 1.0
    zero_point = np.clip(np.round(-lo / scale), 0, 255).astype(np.uint8)
    q = np.clip(np.round(w / scale) + zero_point, 0, 255).astype(np.uint8)
    return q, scale.astype(np.float32), zero_point


def per_tensor_input(x):
    """DynamicQuantizeLinear over the whole input: (nodes, (Xq, scale, zero point))."""
    names = (f"{x}_quant", f"{x}_scale", f"{x}_zp")
    return [helper.make_node("DynamicQuantizeLinear", [x], list(names), name=f"{x}_DynamicQuantizeLinear")], names


def per_token_input(x):
    """uint8 with 128 as zero over each row's own [-max|X|, max|X|] (last axis): (nodes, (Xq, row scales, zero point))."""
    p = f"{x}_pt"
    nodes = [
        helper.make_node("Abs", [x], [f"{p}_abs"], name=f"{p}_Abs"),
        helper.make_node("ReduceMax", [f"{p}_abs"], [f"{p}_max"], axes=[-1], keepdims=1, name=f"{p}_ReduceMax"),
        # An all-zero row has no range; any positive scale maps it to the zero level exactly.
        helper.make_node("Max", [f"{p}_max", "per_token_tiny"], [f"{p}_max_pos"], name=f"{p}_MaxPos"),
        helper.make_node("Div", [f"{p}_max_pos", "per_token_levels"], [f"{p}_scale"], name=f"{p}_Scale"),
        helper.make_node("Div", [x, f"{p}_scale"], [f"{p}_levels"], name=f"{p}_ToLevels"),
        helper.make_node("Round", [f"{p}_levels"], [f"{p}_rounded"], name=f"{p}_Round"),
        helper.make_node("Add", [f"{p}_rounded", "per_token_zero"], [f"{p}_shifted"], name=f"{p}_Shift"),
        helper.make_node("Cast", [f"{p}_shifted"], [f"{p}_quant"], to=TensorProto.UINT8, name=f"{p}_Cast"),
    ]
    return nodes, (f"{p}_quant", f"{p}_scale", "per_token_zero_u8")


PER_TOKEN_CONSTANTS = {"per_token_tiny": np.float32(1e-20), "per_token_levels": np.float32(127.0),
                       "per_token_zero": np.float32(128.0), "per_token_zero_u8": np.uint8(128)}

# Each scheme: how it quantizes an input, and the constant initializers its nodes read.
SCHEMES = {"per-token": (per_token_input, PER_TOKEN_CONSTANTS), "per-tensor": (per_tensor_input, {})}


def quantized_matmul(base, x_names, y):
    """Y = Cast(MatMulInteger(Xq, Wq, Xzp, Wzp)) * (Xscale * Wscale): Xscale is a scalar or one per row."""
    xq, xs, xzp = x_names
    return [
        helper.make_node("MatMulInteger", [xq, f"{base}_W", xzp, f"{base}_Wzp"], [f"{base}_int32"], name=f"{base}_MatMulInteger"),
        helper.make_node("Cast", [f"{base}_int32"], [f"{base}_float"], to=TensorProto.FLOAT, name=f"{base}_Cast"),
        helper.make_node("Mul", [xs, f"{base}_Wscale"], [f"{base}_scale"], name=f"{base}_ScaleMul"),
        helper.make_node("Mul", [f"{base}_float", f"{base}_scale"], [y], name=f"{base}_Mul"),
    ]


def quantize_model(model, activations="per-token"):
    quantize_input, constants = SCHEMES[activations]
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers[name] = consumers.get(name, 0) + 1
    new_nodes, dropped = [], set()
    new_inits = [numpy_helper.from_array(np.array(value), name) for name, value in constants.items()]
    quantized_inputs = {}
    count = 0
    for node in graph.node:
        w_init = inits.get(node.input[1]) if node.op_type == "MatMul" and len(node.input) == 2 else None
        if w_init is None or len(w_init.dims) != 2:
            new_nodes.append(node)
            continue
        x, w_name, y = node.input[0], node.input[1], node.output[0]
        base = f"{y}_q8"
        q, scale, zp = quantize_columns(numpy_helper.to_array(w_init).astype(np.float32))
        new_inits += [numpy_helper.from_array(q, f"{base}_W"), numpy_helper.from_array(scale, f"{base}_Wscale"),
                      numpy_helper.from_array(zp, f"{base}_Wzp")]
        if x not in quantized_inputs:
            nodes, quantized_inputs[x] = quantize_input(x)
            new_nodes += nodes
        new_nodes += quantized_matmul(base, quantized_inputs[x], y)
        consumers[w_name] -= 1
        if consumers[w_name] == 0:
            dropped.add(w_name)
        count += 1
    del graph.node[:]
    graph.node.extend(new_nodes)
    kept = [i for i in graph.initializer if i.name not in dropped]
    del graph.initializer[:]
    graph.initializer.extend(kept + new_inits)
    return count


def tied_embedding(graph, inits):
    """(Gather node, lm_head MatMul node) when the input embedding table is the output projection
    transposed, else None."""
    gathers = [n for n in graph.node if n.op_type == "Gather" and n.input[0] in inits and len(inits[n.input[0]].dims) == 2]
    if len(gathers) != 1:
        return None
    table = numpy_helper.to_array(inits[gathers[0].input[0]])
    for node in graph.node:
        w = inits.get(node.input[1]) if node.op_type == "MatMul" and len(node.input) == 2 else None
        if w is not None and list(w.dims) == list(table.shape[::-1]) and np.array_equal(numpy_helper.to_array(w), table.T):
            return gathers[0], node
    return None


def embed_from_output_weights(graph, gather, lm_head_output):
    """Replace the fp32 embedding Gather by a dequantizing read of the lm_head's uint8 weights."""
    base = f"{lm_head_output}_q8"
    ids, out = gather.input[1], gather.output[0]
    inits = {i.name: i for i in graph.initializer}
    for part in ("Wscale", "Wzp"):
        column = numpy_helper.to_array(inits[f"{base}_{part}"]).reshape(-1, 1)  # [V, 1]: gathers to [b, t, 1]
        graph.initializer.append(numpy_helper.from_array(column, f"{base}_{part}_rows"))
    e = f"{out}_from_q8"
    nodes = [
        helper.make_node("Gather", [f"{base}_W", ids], [f"{e}_cols"], axis=1, name=f"{e}_Gather"),
        helper.make_node("Transpose", [f"{e}_cols"], [f"{e}_q"], perm=[1, 2, 0], name=f"{e}_Transpose"),
        helper.make_node("Cast", [f"{e}_q"], [f"{e}_qf"], to=TensorProto.FLOAT, name=f"{e}_Cast"),
        helper.make_node("Gather", [f"{base}_Wzp_rows", ids], [f"{e}_zp"], axis=0, name=f"{e}_GatherZp"),
        helper.make_node("Cast", [f"{e}_zp"], [f"{e}_zpf"], to=TensorProto.FLOAT, name=f"{e}_CastZp"),
        helper.make_node("Gather", [f"{base}_Wscale_rows", ids], [f"{e}_scale"], axis=0, name=f"{e}_GatherScale"),
        helper.make_node("Sub", [f"{e}_qf", f"{e}_zpf"], [f"{e}_centered"], name=f"{e}_Sub"),
        helper.make_node("Mul", [f"{e}_centered", f"{e}_scale"], [out], name=f"{e}_Mul"),
    ]
    at = [n.name for n in graph.node].index(gather.name)
    kept = [n for n in graph.node if n.name != gather.name]
    del graph.node[:]
    graph.node.extend(kept[:at] + nodes + kept[at:])
    table = gather.input[0]
    kept_inits = [i for i in graph.initializer if i.name != table]
    del graph.initializer[:]
    graph.initializer.extend(kept_inits)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model_dir")
    ap.add_argument("--activations", choices=sorted(SCHEMES), default="per-token")
    args = ap.parse_args()
    src = os.path.join(args.model_dir, "onnx", "model.onnx")
    dst = os.path.join(args.model_dir, "onnx", "model_quantized.onnx")
    model = onnx.load(src)
    tied = tied_embedding(model.graph, {i.name: i for i in model.graph.initializer})
    count = quantize_model(model, args.activations)
    if tied:
        embed_from_output_weights(model.graph, tied[0], tied[1].output[0])
    onnx.checker.check_model(model)
    onnx.save(model, dst)
    shared = ", embedding read from the output projection's uint8 weights" if tied else ""
    print(f"quantized {count} MatMuls, activations {args.activations}{shared}: {os.path.getsize(src)/1e6:.2f} MB -> {os.path.getsize(dst)/1e6:.2f} MB")


if __name__ == "__main__":
    main()
