// A causal LM's ONNX session run through its KV cache with onnxruntime-web, as the extension's
// worker runs it; shared by onnx_decode.cjs and cache_history.cjs.
const ort = require('onnxruntime-web');

function int64(values, dims) {
  return new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), dims);
}

class KvDecoder {
  constructor(session, config) {
    this.session = session;
    this.layers = config.num_hidden_layers;
    this.kvHeads = config.num_key_value_heads;
    this.headDim = config.head_dim ?? config.hidden_size / config.num_attention_heads;
    this.vocab = config.vocab_size;
  }

  emptyPast() {
    const past = {};
    for (let i = 0; i < this.layers; i++) {
      for (const kv of ['key', 'value']) past[`past_key_values.${i}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, this.kvHeads, 0, this.headDim]);
    }
    return past;
  }

  /** Runs `ids` after `start` cached tokens: the last token's logits (at `offset`) and the new cache. */
  async run(ids, start, past) {
    const out = await this.session.run({
      input_ids: int64(ids, [1, ids.length]),
      attention_mask: int64(new Array(start + ids.length).fill(1), [1, start + ids.length]),
      position_ids: int64(ids.map((_, j) => start + j), [1, ids.length]),
      ...past,
    });
    const next = {};
    for (let i = 0; i < this.layers; i++) {
      for (const kv of ['key', 'value']) next[`past_key_values.${i}.${kv}`] = out[`present.${i}.${kv}`];
    }
    const logits = out.logits.data;
    return { logits, offset: logits.length - this.vocab, past: next };
  }
}

function argmaxAt(logits, offset, vocab) {
  let best = 0;
  for (let i = 1; i < vocab; i++) if (logits[offset + i] > logits[offset + best]) best = i;
  return best;
}

module.exports = { KvDecoder, argmaxAt };
