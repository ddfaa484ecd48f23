#!/usr/bin/env python3
"""Show PyTorch CUDA tensors in a Handoff presenter, with no copy through the CPU.

The frames are images of the presenter's own GPU memory (a CUDA window of the producer SDK,
libhandoff-producer.so.0, used through ctypes): each frame's image is a strided uint8 tensor
of shape (height, width, 4) (B, G, R, X bytes: XRGB8888) made with __cuda_array_interface__
over the image's device pointer, once per image. The SDK queues the wait for the presenter's
release of the image on torch's current stream, torch's kernels write the image, and the SDK
queues the frame's acquire signal on the same stream after them: the presenter composes the
frame once those kernels are done, and the Python thread never waits for the presenter.

Device copies per frame: --write direct (the default) makes the last kernel of the frame
write the image itself: zero copies. --write copy renders into a tensor of its own and copies
it into the image (Tensor.copy_): one device copy, for pipelines that cannot write into a
strided view.

    handoff-presenter --renderer vulkan --check solid -- \\
        python3 examples/torch_frames.py --pattern solid --frames 2000

Needs python3 with torch (CUDA), libhandoff-producer.so.0 (HANDOFF_PRODUCER_LIB, else the
library path) and a presenter composing with Vulkan on the same GPU. Prints the frame rate
and the latency from hp_cuda_frame_submit() to the frame's presentation; --stats writes them
as JSON.
"""
import argparse
import ctypes
import ctypes.util
import json
import os
import sys
import time

HP_SYNC_EXPLICIT, HP_SYNC_IMPLICIT, HP_SYNC_NONE = 0, 1, 2
HP_PRESENT_MAILBOX, HP_PRESENT_FIFO = 0, 1
HP_CUDA_ARRAY, HP_CUDA_LINEAR = 0, 1


class WindowConfig(ctypes.Structure):
    _fields_ = [("width", ctypes.c_int32), ("height", ctypes.c_int32),
                ("fourcc", ctypes.c_uint32), ("buffers", ctypes.c_int),
                ("sync", ctypes.c_int), ("mode", ctypes.c_int), ("title", ctypes.c_char_p),
                # struct hp_window_config as handoff-producer.h has it, every field: the
                # struct is returned by value, so a shorter one here would be overrun
                ("more_clients", ctypes.c_void_p), ("n_more_clients", ctypes.c_int),
                ("hold_limit", ctypes.c_int)]


class Frame(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("width", ctypes.c_int32),
                ("height", ctypes.c_int32), ("stride", ctypes.c_int32),
                ("fourcc", ctypes.c_uint32), ("number", ctypes.c_uint64),
                ("window", ctypes.c_void_p)]


class CudaFrame(ctypes.Structure):
    _fields_ = [("window", ctypes.c_void_p), ("index", ctypes.c_uint32),
                ("layout", ctypes.c_int), ("device", ctypes.c_int),
                ("array", ctypes.c_void_p), ("surface", ctypes.c_ulonglong),
                ("ptr", ctypes.c_ulonglong), ("pitch", ctypes.c_size_t)]


class Feedback(ctypes.Structure):
    _fields_ = [("frame", ctypes.c_uint64), ("presented", ctypes.c_bool),
                ("present_ns", ctypes.c_int64), ("signal_ns", ctypes.c_int64),
                ("seq", ctypes.c_uint64), ("presenter", ctypes.c_int)]


FEEDBACK_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.POINTER(Feedback))


def load_sdk():
    path = os.environ.get("HANDOFF_PRODUCER_LIB") or ctypes.util.find_library(
        "handoff-producer") or "libhandoff-producer.so.0"
    lib = ctypes.CDLL(path)
    p, err = ctypes.c_void_p, ctypes.c_char_p
    sigs = {
        "hp_client_connect": (p, [ctypes.c_char_p, err, ctypes.c_size_t]),
        "hp_client_destroy": (None, [p]),
        "hp_client_dispatch": (ctypes.c_bool, [p, ctypes.c_int]),
        "hp_client_error": (ctypes.c_char_p, [p]),
        "hp_window_config_default": (WindowConfig, [ctypes.c_int32, ctypes.c_int32]),
        "hp_window_create_cuda": (p, [p, ctypes.POINTER(WindowConfig), ctypes.c_int, err,
                                      ctypes.c_size_t]),
        "hp_window_destroy": (None, [p]),
        "hp_window_set_feedback": (None, [p, FEEDBACK_FN, p]),
        "hp_vk_window_transport": (ctypes.c_char_p, [p]),
        "hp_cuda_frame_begin": (ctypes.POINTER(Frame), [p, p, ctypes.c_int64]),
        "hp_cuda_frame_get": (ctypes.c_bool, [ctypes.POINTER(Frame), ctypes.POINTER(CudaFrame)]),
        "hp_cuda_frame_submit": (ctypes.c_bool, [p, ctypes.POINTER(Frame), p]),
    }
    for name, (res, args) in sigs.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    return lib


class ImageView:
    """A torch tensor over a frame's image, through __cuda_array_interface__ (no copy)."""

    def __init__(self, cf, width, height):
        self.__cuda_array_interface__ = {
            "shape": (height, width, 4), "typestr": "|u1", "data": (cf.ptr, False),
            "strides": (cf.pitch, 4, 1), "version": 3, "stream": None}


def solid_color(n):
    """color(N) of DESIGN.md (XRGB8888), as the int32 its four little-endian bytes make."""
    c = 0xFF000000 | (((n * 2654435761) & 0xFFFFFFFF) >> 8)
    return c - (1 << 32)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="1920x1080", help="WxH (default 1920x1080)")
    ap.add_argument("--frames", type=int, default=600, help="frames to show (default 600)")
    ap.add_argument("--buffers", type=int, default=3, help="images in the pool (default 3)")
    ap.add_argument("--pattern", choices=["plasma", "solid"], default="plasma",
                    help="plasma: a moving picture; solid: every pixel color(N), which "
                         "handoff-presenter --check solid checks")
    ap.add_argument("--write", choices=["direct", "copy"], default="direct",
                    help="direct: the frame's kernel writes the image (0 device copies); "
                         "copy: a tensor copied into it (1 device copy)")
    ap.add_argument("--present-mode", choices=["mailbox", "fifo"], default="mailbox")
    ap.add_argument("--stats", help="write fps and latency as JSON here")
    args = ap.parse_args()
    width, height = (int(v) for v in args.size.split("x"))

    import torch
    if not torch.cuda.is_available():
        print("torch_frames.py: torch sees no CUDA device", file=sys.stderr)
        return 1
    sdk = load_sdk()
    err = ctypes.create_string_buffer(256)
    client = sdk.hp_client_connect(None, err, len(err))
    if not client:
        print(f"torch_frames.py: {err.value.decode()}", file=sys.stderr)
        return 1
    cfg = sdk.hp_window_config_default(width, height)
    cfg.buffers = args.buffers
    cfg.mode = HP_PRESENT_FIFO if args.present_mode == "fifo" else HP_PRESENT_MAILBOX
    cfg.title = b"torch_frames"
    window = sdk.hp_window_create_cuda(client, ctypes.byref(cfg), HP_CUDA_LINEAR, err, len(err))
    if not window:
        print(f"torch_frames.py: {err.value.decode()}", file=sys.stderr)
        return 1
    print(f"torch_frames.py: {sdk.hp_vk_window_transport(window).decode()}", file=sys.stderr)

    submitted_ns, latencies, counts = {}, [], {"presented": 0, "discarded": 0, "last": 0}

    def on_feedback(_, fb):
        fb = fb.contents
        t = submitted_ns.pop(fb.frame, None)
        if fb.presented:
            counts["presented"] += 1
            if t is not None:
                latencies.append(fb.present_ns - t)
        else:
            counts["discarded"] += 1
        counts["last"] = max(counts["last"], fb.frame)

    feedback = FEEDBACK_FN(on_feedback)  # kept alive for the window's life
    sdk.hp_window_set_feedback(window, feedback, None)

    stream = torch.cuda.current_stream()
    handle = ctypes.c_void_p(stream.cuda_stream)
    views = {}
    y = torch.linspace(0, 1, height, device="cuda").view(height, 1)
    x = torch.linspace(0, 1, width, device="cuda").view(1, width)
    scratch = torch.empty((height, width, 4), dtype=torch.uint8, device="cuda")
    start = time.monotonic_ns()
    for _ in range(args.frames):
        frame = sdk.hp_cuda_frame_begin(window, handle, 10_000_000_000)
        if not frame:
            print(f"torch_frames.py: {sdk.hp_client_error(client).decode()}", file=sys.stderr)
            return 1
        f = frame.contents
        cf = CudaFrame()
        sdk.hp_cuda_frame_get(frame, ctypes.byref(cf))
        if cf.index not in views:
            views[cf.index] = torch.as_tensor(ImageView(cf, width, height), device="cuda")
        image = views[cf.index]
        out = image if args.write == "direct" else scratch
        if args.pattern == "solid":
            # One fill kernel over the image's pixels as int32: B, G, R, X in memory.
            out.view(torch.int32).fill_(solid_color(f.number))
        else:
            t = f.number / 60.0
            v = torch.sin(x * 10 + t) + torch.sin(y * 7 - t * 1.3) + torch.sin((x + y) * 6 + t)
            # The quantization to uint8 is the last pass, and writes the image itself.
            for c, phase in enumerate((0.0, 2.1, 4.2)):
                out[..., c] = (torch.sin(v * 1.5 + phase) * 127.5 + 127.5).to(torch.uint8)
            out[..., 3] = 255
        if args.write == "copy":
            image.copy_(scratch)  # the one device copy
        submitted_ns[f.number] = time.monotonic_ns()
        if not sdk.hp_cuda_frame_submit(window, frame, handle):
            print(f"torch_frames.py: {sdk.hp_client_error(client).decode()}", file=sys.stderr)
            return 1
    deadline = time.monotonic() + 10
    while counts["last"] < args.frames and time.monotonic() < deadline:
        if not sdk.hp_client_dispatch(client, 100):
            break
    secs = (time.monotonic_ns() - start) / 1e9
    latencies.sort()

    def pct(q):
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] / 1e3 if latencies else 0

    result = {"program": "torch_frames.py", "width": width, "height": height,
              "pattern": args.pattern, "write": args.write,
              "device_copies_per_frame": 0 if args.write == "direct" else 1,
              "frames_submitted": args.frames, "frames_presented": counts["presented"],
              "frames_discarded": counts["discarded"], "last_frame_feedback": counts["last"],
              "presented_fps": round(counts["presented"] / secs, 1),
              "latency_submit_to_presented": {"p50_us": pct(0.5), "p99_us": pct(0.99)},
              "cpu_us_per_frame": round(time.process_time() * 1e6 / args.frames, 1)}
    print(json.dumps(result))
    if args.stats:
        with open(args.stats, "w") as out_file:
            json.dump(result, out_file, indent=2)
    sdk.hp_window_destroy(window)
    sdk.hp_client_destroy(client)
    return 0 if counts["last"] == args.frames else 1


if __name__ == "__main__":
    sys.exit(main())
