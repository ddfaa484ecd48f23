#!/usr/bin/env python3
"""Writes the fuzzer's seed inputs into tests/fuzz/seeds/: request streams in the harness's
format (fuzz_presenter.c) that reach the deep paths at once: a toplevel showing a handoff
buffer with its points, a wl_shm buffer, fifo commits, and frame callbacks and feedback."""
import os

INTERESTING = [
    0, 1, 2, 3, 4, 5, 7, 8, 16, 31, 32, 33, 63, 64, 65, 100, 127, 128, 255, 256, 257, 260, 512,
    1000, 1024, 4095, 4096, 4097, 8192, 16383, 16384, 16385, 65535, 65536, 262143, 262144,
    262145, 262148, 1 << 20, 0x7fffffff, 0x80000000, 0x80000004, 0xfffffffc, 0xffffffff,
    0xffffffc0, 0x34325258, 0x34325241]
XRGB = 0x34325258

# Objects the harness makes before the input: display, registry, then the globals.
DISPLAY, REGISTRY, COMPOSITOR, SHM, WM_BASE, PRESENTATION, MANAGER = range(7)


def num(v):
    """An int/uint argument: an index into the harness's table, else 0xe0 and 4 bytes."""
    if v in INTERESTING:
        return bytes([INTERESTING.index(v)])
    return b"\xe0" + v.to_bytes(4, "big")


class Seed:
    def __init__(self):
        self.b = bytearray()
        self.n_objects = 7

    def req(self, obj, opcode, *args):
        self.b += bytes([0, obj, opcode]) + b"".join(args)

    def new(self):
        self.n_objects += 1
        return self.n_objects - 1

    def signal(self, tl, point):
        self.b += bytes([10, tl, point])

    def dispatch(self, n=8):
        self.b += bytes([11, n - 1])

    def wait(self):
        self.b += bytes([15])


NEW = b""   # new_id takes no input byte
OBJ0 = b"\x00"  # the first object of the argument's interface


def toplevel(s):
    surface = s.new()
    s.req(COMPOSITOR, 0, NEW)                 # create_surface
    xdg = s.new()
    s.req(WM_BASE, 2, NEW, OBJ0)              # get_xdg_surface
    s.new()
    s.req(xdg, 1, NEW)                        # get_toplevel
    s.req(surface, 6)                         # commit
    s.dispatch()
    return surface


def handoff_frames(s, fifo, frames):
    surface = toplevel(s)
    s.new()
    s.req(MANAGER, 2, NEW, b"\x04", num(0))   # import_timeline: a new timeline, shm
    s.new()
    s.req(MANAGER, 1, NEW, b"\x00", num(0), num(64), num(64), num(XRGB), num(0), num(0),
          num(0), num(256), num(0))            # create_buffer 64x64 XRGB8888
    hs = s.new()
    s.req(MANAGER, 3, NEW, OBJ0)              # get_surface
    if fifo:
        s.req(hs, 3, num(1))                  # set_present_mode fifo
    for i in range(frames):
        s.req(hs, 1, OBJ0, num(0), num(2 * i + 1))   # set_acquire_point
        s.req(hs, 2, OBJ0, num(0), num(2 * i + 2))   # set_release_point
        s.req(surface, 1, OBJ0, num(0), num(0))      # attach
        s.req(surface, 2, num(0), num(0), num(64), num(64))  # damage
        s.new()
        s.req(surface, 3, NEW)                        # frame
        s.new()
        s.req(PRESENTATION, 1, OBJ0, NEW)             # feedback
        s.req(surface, 6)                             # commit
        s.signal(0, 2 * i + 1)
        s.wait()
        s.dispatch()


def shm_frame(s):
    surface = toplevel(s)
    s.new()
    s.req(SHM, 0, NEW, b"\x03", num(16384))   # create_pool: an unsealed 16 KiB memfd
    s.new()
    s.req(s.n_objects - 1, 0, NEW, num(0), num(64), num(64), num(256), num(1))  # create_buffer
    s.req(surface, 1, OBJ0, num(0), num(0))
    s.req(surface, 2, num(0), num(0), num(64), num(64))
    s.new()
    s.req(surface, 3, NEW)
    s.req(surface, 6)
    s.dispatch()
    s.b += bytes([13, 0, 4])                  # shrink the pool under the buffer
    s.req(surface, 6)
    s.dispatch()


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds")
    os.makedirs(out, exist_ok=True)
    seeds = {}
    s = Seed(); handoff_frames(s, False, 3); seeds["handoff_mailbox"] = s
    s = Seed(); handoff_frames(s, True, 3); seeds["handoff_fifo"] = s
    s = Seed(); shm_frame(s); seeds["shm"] = s
    for name, seed in seeds.items():
        with open(os.path.join(out, name + ".bin"), "wb") as f:
            f.write(seed.b)


if __name__ == "__main__":
    main()
