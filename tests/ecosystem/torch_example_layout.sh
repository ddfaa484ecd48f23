#!/usr/bin/env bash
# examples/torch_frames.py declares the SDK's structs again in ctypes (no torch needed to load
# them): each must have the C struct's size and field offsets, or the SDK writes past the end
# of one (hp_window_config is returned by value) or the example reads the wrong field. The C
# side's figures come from handoff-sdk-layout, built against the installed headers' sources.
. "$(dirname "$0")/../e2e/lib.sh"
command -v python3 >/dev/null || skip "no python3"
"$HANDOFF_BUILD/tests/ecosystem/handoff-sdk-layout" >"$WORK/c.txt" || fail "handoff-sdk-layout failed"
python3 - "$(dirname "$0")/../../examples/torch_frames.py" "$WORK/c.txt" <<'PY' || fail "the example's ctypes structs differ from the SDK's"
import ctypes, importlib.util, sys
spec = importlib.util.spec_from_file_location("torch_frames", sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
want = dict(line.split() for line in open(sys.argv[2]))
pairs = {"hp_window_config": mod.WindowConfig, "hp_frame": mod.Frame,
         "hp_cuda_frame": mod.CudaFrame, "hp_feedback": mod.Feedback}
bad = 0
for key, value in want.items():
    name, _, field = key.partition(".")
    cls = pairs[name]
    got = getattr(cls, field).offset if field else ctypes.sizeof(cls)
    if got != int(value):
        print(f"{key}: C {value}, torch_frames.py {got}")
        bad += 1
print(f"{len(want)} sizes and offsets compared, {bad} differ")
sys.exit(1 if bad else 0)
PY
echo ok
