#!/usr/bin/env bash
# Cross-checks lstmsim's float engine against torch.nn.LSTM (float64) on
# built-in workloads. Usage: torch_crosscheck.sh LSTMSIM TORCH_REFERENCE_PY WORKDIR
# Exit 77 (ctest: skipped) when Debian's python3 cannot import torch.
set -euo pipefail
lstmsim="$1"; script="$2"; work="$3"
python=/usr/bin/python3

if ! "$python" -c "import torch" 2>/dev/null; then
  echo "SKIPPED: $python cannot import torch (apt-get install python3-torch)"
  exit 77
fi

rm -rf "$work"; mkdir -p "$work"
# Shapes: odd sizes with 3 layers and X != H; then a wide 2-layer model.
while read -r x h layers steps seqs seed; do
  name="x${x}_h${h}_l${layers}"
  "$lstmsim" workload --input-size "$x" --hidden-size "$h" --layers "$layers" \
    --steps "$steps" --sequences "$seqs" --seed "$seed" \
    --model-out "$work/$name.model.json" --input-out "$work/$name.input.json"
  "$lstmsim" run --engine float --model "$work/$name.model.json" \
    --input "$work/$name.input.json" --output "$work/$name.float.json"
  "$python" "$script" --model "$work/$name.model.json" --input "$work/$name.input.json" \
    --output "$work/$name.torch.json" --compare "$work/$name.float.json" --tolerance 1e-9
done <<'SHAPES'
10 7 3 12 3 11
64 64 2 20 2 1
SHAPES
