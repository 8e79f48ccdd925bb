#!/bin/bash
# check_layers.py: the repository agrees with its code map, and a forbidden
# include, a bare include and a link against a higher part are each reported.
# usage: check_layers_test.sh PYTHON3 CHECK_LAYERS_PY REPO WORK
set -u
py=$1; check=$2; repo=$3; work=$4
fail() { echo "FAIL: $*"; exit 1; }

"$py" "$check" "$repo" || fail "the repository disagrees with docs/architecture.md's code map"

# A two-part tree that breaks the map three ways.
rm -rf "$work"; mkdir -p "$work/docs" "$work/lo" "$work/hi"
cat > "$work/docs/architecture.md" <<'MD'
## 9. Code map

| folder | job | may include |
|---|---|---|
| `lo/` | the bottom | (libraries only) |
| `hi/` | the top | all of the above |
MD
printf '#include "hi/top.hpp"\n#include "local.hpp"\n' > "$work/lo/bottom.hpp"
printf '#include "lo/bottom.hpp"\n' > "$work/hi/top.hpp"
printf 'add_library(lstm_lo lo.cpp)\ntarget_link_libraries(lstm_lo PRIVATE lstm_hi)\n' > "$work/lo/CMakeLists.txt"
printf 'add_library(lstm_hi hi.cpp)\ntarget_link_libraries(lstm_hi PUBLIC lstm_lo)\n' > "$work/hi/CMakeLists.txt"
out=$("$py" "$check" "$work"); rc=$?
[ $rc -eq 1 ] || fail "exit $rc on a tree that breaks the map; expected 1"
for want in 'lo/bottom.hpp: #include "hi/top.hpp": lo/ may not include hi/' \
            'lo/bottom.hpp: #include "local.hpp" names no part' \
            'lo/CMakeLists.txt: lstm_lo links lstm_hi of hi/' \
            '3 disagreement(s)'; do
  grep -qF "$want" <<< "$out" || fail "missing: $want; got: $out"
done
echo "PASS"
