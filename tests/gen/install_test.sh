#!/usr/bin/env bash
# An installed lstmgen finds its rtl/ from where it runs, without the source
# or build tree, and writes the same folder as the lstmgen of the build tree.
# Usage: install_test.sh CMAKE BUILD_DIR CONFIG WORKDIR
set -euo pipefail
cmake="$1"; build="$2"; config="$3"; work="$4"
rm -rf "$work"; mkdir -p "$work"
"$cmake" --install "$build" --prefix "$work/prefix" > "$work/install.log"
[[ -x "$work/prefix/bin/lstmgen" ]] || { echo "FAIL: no bin/lstmgen installed"; exit 1; }
ls "$work/prefix/share/lstm-accel/rtl/"*.sv "$work/prefix/share/lstm-accel/rtl/"*.svh > /dev/null || { echo "FAIL: no rtl/*.sv installed"; exit 1; }
# Moved away from where it was installed: nothing may point back at a path.
mv "$work/prefix" "$work/moved"
cp "$config" "$work/hw.json"
# The same command line in two folders (the banners name it).
mkdir "$work/installed" "$work/built"
(cd "$work/installed" && "$work/moved/bin/lstmgen" --config ../hw.json --out out)
(cd "$work/built" && "$build/bin/lstmgen" --config ../hw.json --out out)
diff -r "$work/installed/out" "$work/built/out" \
  || { echo "FAIL: the installed lstmgen wrote a different folder"; exit 1; }
"$work/moved/bin/lstmgen" --version | grep -qx "lstmgen [0-9]*\.[0-9]*\.[0-9]*" \
  || { echo "FAIL: --version: $("$work/moved/bin/lstmgen" --version)"; exit 1; }
echo PASS
