"""Quantize an exported model's MatMul weights to uint8 for onnxruntime-web's WASM backend.

Usage: /usr/bin/python3 models/train/quantize.py MODEL_DIR
Reads MODEL_DIR/onnx/model.onnx, writes MODEL_DIR/onnx/model_quantized.onnx (the name
transformers.js loads for dtype "q8").

Each MatMul whose right input is a constant W[K,N] becomes
  DynamicQuantizeLinear(X) -> MatMulInteger(Xq, Wq, Xzp, Wzp[N]) -> Cast(float) -> Mul(Xscale * Wscale[N])
with asymmetric uint8 weights and one scale per output column. This is the pattern onnxruntime
fuses into DynamicQuantizeMatMul; in the WASM probe it was the fastest form, while weight-only
QDQ and 4-bit MatMulNBits were several times slower. Inputs shared by several MatMuls (q, k, v)
are quantized once.

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


def quantize_model(model):
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers[name] = consumers.get(name, 0) + 1
    new_nodes, new_inits, dropped = [], [], set()
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
            names = (f"{x}_quant", f"{x}_scale", f"{x}_zp")
            new_nodes.append(helper.make_node("DynamicQuantizeLinear", [x], list(names), name=f"{x}_DynamicQuantizeLinear"))
            quantized_inputs[x] = names
        xq, xs, xzp = quantized_inputs[x]
        new_nodes += [
            helper.make_node("MatMulInteger", [xq, f"{base}_W", xzp, f"{base}_Wzp"], [f"{base}_int32"], name=f"{base}_MatMulInteger"),
            helper.make_node("Cast", [f"{base}_int32"], [f"{base}_float"], to=TensorProto.FLOAT, name=f"{base}_Cast"),
            helper.make_node("Mul", [xs, f"{base}_Wscale"], [f"{base}_scale"], name=f"{base}_ScaleMul"),
            helper.make_node("Mul", [f"{base}_float", f"{base}_scale"], [y], name=f"{base}_Mul"),
        ]
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
    args = ap.parse_args()
    src = os.path.join(args.model_dir, "onnx", "model.onnx")
    dst = os.path.join(args.model_dir, "onnx", "model_quantized.onnx")
    model = onnx.load(src)
    tied = tied_embedding(model.graph, {i.name: i for i in model.graph.initializer})
    count = quantize_model(model)
    if tied:
        embed_from_output_weights(model.graph, tied[0], tied[1].output[0])
    onnx.checker.check_model(model)
    onnx.save(model, dst)
    shared = ", embedding read from the output projection's uint8 weights" if tied else ""
    print(f"quantized {count} MatMuls{shared}: {os.path.getsize(src)/1e6:.2f} MB -> {os.path.getsize(dst)/1e6:.2f} MB")


if __name__ == "__main__":
    main()
