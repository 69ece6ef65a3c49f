#!/usr/bin/env bash
# The default model's pipeline, stage by stage. Each stage can be rerun on its own.
#   bash models/train/pipeline.sh setup            # Debian packages (torch, onnx, numpy, regex, openblas)
#   bash models/train/pipeline.sh corpus           # rebuild the corpus into models/.work/corpus
#   bash models/train/pipeline.sh tokenizer        # retrain the BPE (invalidates every checkpoint!)
#   bash models/train/pipeline.sh data             # tokenize + FIM into models/.work/data{,-fixture}
#   bash models/train/pipeline.sh train MINUTES    # resume lgc-small (CPU) from the latest promoted checkpoint
#   bash models/train/pipeline.sh promote          # if val loss improved: keep it in models/.work/checkpoints, export, check
#   bash models/train/pipeline.sh release          # ship the promoted checkpoint: models/lgc-small + checkpoints/ (commit)
#   bash models/train/pipeline.sh gpu-pack NAME [MINUTES]      # one device job for configs/NAME.json in models/.work/gpu-jobs/NAME
#   bash models/train/pipeline.sh gpu-unpack NAME RESULTS_DIR  # the job's results -> models/.work/runs/NAME, held-out loss here
#   bash models/train/pipeline.sh fixture          # rebuild the tiny test model models/lgc-fixture
# Checkpoints: models/train/checkpoints/ holds only the shipped models' weights (committed with a
# release); CPU training between releases promotes into models/.work/checkpoints/, never into git.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODELS="$(dirname "$HERE")"
WORK="$MODELS/.work"
PY=/usr/bin/python3
stage="${1:?stage: setup|corpus|tokenizer|data|train|promote|release|gpu-pack|gpu-unpack|fixture}"
SHIPPED="$HERE/checkpoints/lgc-small.pt"
LATEST="$WORK/checkpoints/lgc-small.pt"  # promoted since the last release; out of git
mkdir -p "$WORK/checkpoints" "$WORK/runs/lgc-small"

export_model() { # checkpoint, model folder, config name
  rm -rf "$2/onnx"
  $PY "$HERE/export_onnx.py" "$1" "$2" 2> >(grep -v -e TracerWarning -e '^  ' >&2)
  $PY "$HERE/quantize.py" "$2"
  $PY "$HERE/check_quantization.py" "$1" "$2" --data "$4/val.bin" | tee "$WORK/runs/$3/quantization.json"
}

case "$stage" in
  setup)
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-onnx python3-numpy python3-regex libopenblas0-pthread nodejs
    ;;
  corpus) bash "$HERE/corpus/build.sh" ;;            # full; or: bash "$HERE/corpus/subset.sh" MB
  tokenizer) nice -n 5 $PY "$HERE/train_tokenizer.py" ;;
  data)
    # Whatever this corpus trains on stays "seen" for every later evaluation and val loss.
    awk -F'\t' 'NR>1 && $6=="train"{print $1}' "$WORK/corpus/manifest.tsv" | sort -u -o "$HERE/logs/trained-sources.txt" - "$HERE/logs/trained-sources.txt"
    $PY "$HERE/unseen_heldout.py"
    # Train text carries repository context at 0.9 (val stays at 0.5, comparable across sessions)
    # and a pattern list after each of its documents (val has none): few-shot snippets and examples
    # only help once the model has learned to copy from what precedes the text it writes.
    # Train FIM chunks of 2400 characters (about 750 tokens) fit the 1024-token train context with
    # their repository context, chosen by the lines before the cursor as the extension does; val
    # keeps 1400-character chunks, context chosen as before and 512-token windows, comparable.
    nice -n 5 $PY "$HERE/prepare_data.py" --vocab 8192 --out "$WORK/data" --val-source val-unseen --context-rate 0.9 --pattern-rate 1.0 \
      --chunk-chars 2400 --query-before-cursor
    nice -n 5 $PY "$HERE/prepare_data.py" --vocab 1024 --out "$WORK/data-fixture" --max-docs 4000 --val-source val-unseen
    ;;
  train)
    init=()
    [ -f "$SHIPPED" ] && init=(--init "$SHIPPED")
    [ -f "$LATEST" ] && init=(--init "$LATEST")
    nice -n 10 $PY "$HERE/train.py" --config "$HERE/configs/lgc-small.json" --run "$WORK/runs/lgc-small" \
      "${init[@]}" --minutes "${2:-60}" --threads "${TRAIN_THREADS:-2}" --seq 1024 --batch 4 --eval-seq 512
    ;;
  promote)
    # A better run replaces the latest checkpoint in models/.work (not in git) and is exported and
    # checked in models/.work/export/lgc-small; `release` ships it.
    run="$WORK/runs/lgc-small"
    base="$LATEST"; [ -f "$base" ] || base="$SHIPPED"
    $PY "$HERE/promote.py" "$run/best-fp16.pt" "$base" "$LATEST" || exit 0
    export_model "$LATEST" "$WORK/export/lgc-small" lgc-small "$WORK/data"
    ;;
  release)
    # Ship the promoted checkpoint: the committed weights (fp16, tied embedding stored once), the
    # int8 model folder and its card. Commit models/lgc-small, models/train/checkpoints and logs.
    [ -f "$LATEST" ] || { echo "nothing promoted since the last release ($LATEST)"; exit 1; }
    cp "$LATEST" "$SHIPPED"
    export_model "$SHIPPED" "$MODELS/lgc-small" lgc-small "$WORK/data"
    rm "$MODELS/lgc-small/onnx/model.onnx"  # fp32 stays reproducible from the checkpoint; only q8 ships
    $PY "$HERE/write_model_card.py" lgc-small
    ;;
  gpu-pack)
    # What one device call may carry (64 MiB) less the checkout that travels with it, 1 MiB spare.
    name="${2:?config name, e.g. lgc-medium}"
    tree=$(git -C "$MODELS/.." ls-files -z | xargs -0 stat -c %s | awk '{s+=$1} END {print s}')
    budget=$(awk -v t="$tree" 'BEGIN{printf "%.2f", 63 - t/1048576}')
    nice -n 5 $PY "$HERE/gpu/pack_job.py" --out "$WORK/gpu-jobs/$name" --config "$HERE/configs/$name.json" --name "$name" \
      --budget-mib "${GPU_BUDGET_MIB:-$budget}" --minutes "${3:-6.5}" ${GPU_ARGS:-}
    ;;
  gpu-unpack)
    name="${2:?name}"; results="${3:?results folder of the device call}"
    run="$WORK/runs/$name"; mkdir -p "$run"
    cp "$results"/*.log "$results/result.json" "$run/"
    $PY "$HERE/gpu/split_checkpoint.py" --join "$results" "$run/best-fp16.pt"
    $PY "$HERE/eval_val.py" "$run/best-fp16.pt" --data "$WORK/data" | tee "$run/val.json"
    ;;
  fixture)
    run="$WORK/runs/lgc-fixture"
    rm -rf "$run"
    $PY "$HERE/train.py" --config "$HERE/configs/lgc-fixture.json" --run "$run" --data "$WORK/data-fixture" \
      --minutes 20 --max-steps 300 --batch 16 --seq 256 --lr 3e-3 --warmup 50 --horizon-tokens 2.5e6 \
      --eval-every 200 --eval-windows 32 --seed 7
    cp "$run/best-fp16.pt" "$HERE/checkpoints/lgc-fixture.pt"
    rm -f "$HERE/logs/lgc-fixture.jsonl"  # trained from scratch: its history starts over
    export_model "$HERE/checkpoints/lgc-fixture.pt" "$MODELS/lgc-fixture" lgc-fixture "$WORK/data-fixture"
    $PY "$HERE/write_model_card.py" lgc-fixture
    ;;
  *) echo "unknown stage: $stage" >&2; exit 2 ;;
esac
