#!/usr/bin/env bash
# One device job, packed by pack_job.py: `OUT=RESULTS bash JOB/job.sh` (on the device machine
# $OUT is set). Checks the machine and the fused attention, unpacks the token data, trains
# code/configs/job.json from scratch for $MINUTES with the cosine over wall-clock time, then writes
# the best checkpoint (tied embedding once, parts of at most 15 MB) to $OUT. Everything it prints
# goes to $OUT/job.log as it runs, and the trainer's log to $OUT/train.log, so a call that runs
# out of time still returns them. At most 8 files come back: job.log, train.log, result.json and
# up to 4 checkpoint parts (60 MB: about 30M parameters in fp16; 64 MiB come back in all).
# Environment: PYTHON (default python3), WORK (scratch, default /tmp/lgc-job), THREADS (CPU
# threads for torch, default 4), HARD_LIMIT_S (the trainer is stopped after this, default
# MINUTES*60 + 150).
set -u
JOB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${OUT:?OUT must name the results folder}"
mkdir -p "$OUT"
exec > >(tee -a "$OUT/job.log") 2>&1
export PYTHONUNBUFFERED=1 TORCHINDUCTOR_COMPILE_THREADS="${TORCHINDUCTOR_COMPILE_THREADS:-16}"
PY="${PYTHON:-python3}"
WORKDIR="${WORK:-/tmp/lgc-job}"
# shellcheck disable=SC1091
. "$JOB/job.env"
mkdir -p "$WORKDIR/data"
start=$(date +%s)
echo "job $NAME: $(date -u +%FT%TZ) on $(hostname)"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
"$PY" - "$JOB/code" <<'PY'
import math, sys
sys.path.insert(0, sys.argv[1])
import torch
from lgc import model as M
print("torch", torch.__version__, "cuda", torch.cuda.is_available(), "fused attention", M.sdpa is not None)
if M.sdpa is not None:  # the fused kernel and the masked matmul give the same loss on random weights
    cfg = M.GPTConfig.load(sys.argv[1] + "/configs/job.json")
    torch.manual_seed(0)
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    m = M.GPT(cfg).to(dev).eval()
    ids = torch.randint(0, cfg.vocab_size, (2, 129), device=dev)
    with torch.no_grad():
        a = m.loss(ids[:, :-1], ids[:, 1:]).item()
        M.use_fused = False
        b = m.loss(ids[:, :-1], ids[:, 1:]).item()
    print(f"loss fused {a:.6f} masked {b:.6f}")
    if not math.isclose(a, b, rel_tol=1e-4):
        sys.exit("fused attention differs from the masked matmul")
PY
[ $? -eq 0 ] || { echo "check failed"; exit 1; }
# Unpack: every part at once (xz if the machine has it, else Python's lzma), then one stream.
unpack() { xz -dc "$1" 2>/dev/null || "$PY" -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' "$1"; }
pids=()
for f in "$JOB"/train-*.bin.xz; do unpack "$f" > "$WORKDIR/data/$(basename "$f" .xz)" & pids+=($!); done
wait "${pids[@]}"  # (a bare wait would also wait for the tee above, which never ends)
cat "$WORKDIR"/data/train-*.bin > "$WORKDIR/data/train.bin" && rm "$WORKDIR"/data/train-*.bin
unpack "$JOB/val.bin.xz" > "$WORKDIR/data/val.bin"
echo "unpacked $(( $(stat -c %s "$WORKDIR/data/train.bin") / 2 )) train tokens in $(( $(date +%s) - start ))s"
compile=()
[ "${COMPILE_AT:--1}" -ge 0 ] && compile=(--compile --compile-at "$COMPILE_AT")
RUN="$WORKDIR/run"
rm -rf "$RUN"
# SIGINT at the hard limit ends training after the step in flight, with its final eval and save;
# a second signal 30 s later kills it (the best checkpoint of the last eval stays).
timeout -k 30 -s INT "${HARD_LIMIT_S:-$(awk -v m="$MINUTES" 'BEGIN{print int(m*60+150)}')}" \
  "$PY" "$JOB/code/train.py" --config "$JOB/code/configs/job.json" --run "$RUN" --data "$WORKDIR/data" \
  --minutes "$MINUTES" --schedule minutes --batch "$BATCH" --seq "$SEQ" --eval-seq "$EVAL_SEQ" --lr "$LR" \
  --min-lr "$MIN_LR" --warmup "$WARMUP" --eval-every "$EVAL_EVERY" --eval-windows "$EVAL_WINDOWS" \
  --weight-decay "$WEIGHT_DECAY" --seed "$SEED" --save-every 1000000000 --threads "${THREADS:-4}" "${compile[@]}" \
  > "$OUT/train.log" 2>&1
echo "trainer exit $? after $(( $(date +%s) - start ))s"
tail -n 3 "$OUT/train.log"
if [ -f "$RUN/best-fp16.pt" ]; then
  "$PY" "$JOB/code/split_checkpoint.py" "$RUN/best-fp16.pt" "$OUT" "$NAME" || echo "split failed"
else
  echo "no checkpoint was written"
fi
ls -la "$OUT"
echo "job done in $(( $(date +%s) - start ))s"
