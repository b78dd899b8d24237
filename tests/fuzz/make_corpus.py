#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets: tests/fuzz/corpus/<target>/.

    python3 tests/fuzz/make_corpus.py        # rewrites every seed (deterministic)

One small valid input of every form each reader accepts, plus a few near misses;
libFuzzer mutates from there. Formats: lib/data/idx.hpp, lib/data/mnist.hpp,
lib/data/npy.hpp, the spec grammars of lib/init and lib/core/activation.hpp, the
sweep files of lib/study/sweep_spec.hpp (and examples/sweeps/), the network files
and architecture strings of lib/study/net_file.hpp (and examples/nets/).
"""
import gzip
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def put(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def gz(data):
    return gzip.compress(data, mtime=0)


def fnv1a64(b):
    h = 0xCBF29CE484222325
    for x in b:
        h ^= x
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def idx():
    labels = struct.pack(">II", 0x801, 3) + bytes([0, 1, 2])
    images = struct.pack(">IIII", 0x803, 2, 2, 2) + bytes(range(8))
    put("idx", "labels", labels)
    put("idx", "images", images)
    put("idx", "labels.gz", gz(labels))
    put("idx", "images.gz", gz(images))
    put("idx", "two-members.gz", gz(images[:9]) + gz(images[9:]))
    put("idx", "truncated", images[:-1])


def mnist_cache():
    body = b"ILMNIST1" + struct.pack("<III", 2, 28, 28) + bytes(range(256)) * 6 + bytes(32) + bytes([3, 9])
    # first byte even: the target appends the checksum; odd: the input is the file
    put("mnist_cache", "valid-checksum-appended", b"\x00" + body)
    put("mnist_cache", "valid-as-is", b"\x01" + body + struct.pack("<Q", fnv1a64(body)))
    put("mnist_cache", "bad-label", b"\x00" + body[:-1] + b"\x0a")


def mnist_json():
    put("mnist_json", "one-digit", '{"data": [' + ",".join(["0.5"] * 784) + "]}")
    put("mnist_json", "two-digits", '{"data": [' + ",".join(["0", "1", "0.004"] * 522 + ["0.2", "0.3"]) + "]}")
    put("mnist_json", "empty", '{"data": []}')
    put("mnist_json", "not-a-pixel", '{"data": [1.5, -1, "x", null]}')


def npy_file(descr, fortran, shape, payload, version=1):
    shape_text = "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
    header = f"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape_text}, }}"
    lead = 10 if version == 1 else 12
    pad = (64 - (lead + len(header) + 1) % 64) % 64
    header = header + " " * pad + "\n"
    size = struct.pack("<H", len(header)) if version == 1 else struct.pack("<I", len(header))
    return b"\x93NUMPY" + bytes([version, 0]) + size + header.encode() + payload


def npy():
    put("npy", "f4-2x3", npy_file("<f4", "False", (2, 3), struct.pack("<6f", 0, 1, 2, 3, 4, 5)))
    put("npy", "f8-fortran", npy_file("<f8", "True", (2, 2), struct.pack("<4d", 1, 2, 3, 4)))
    put("npy", "scalar", npy_file("<f8", "False", (), struct.pack("<d", 7.5)))
    put("npy", "vector-v2", npy_file("<f4", "False", (3,), struct.pack("<3f", 1, 2, 3), version=2))
    put("npy", "empty", npy_file("<f4", "False", (0, 4), b""))


def put_numbered(target, texts):
    for i, text in enumerate(texts):
        put(target, f"{i:02d}", text)


def put_examples(target, folder):
    examples = os.path.join(os.path.dirname(ROOT), "..", "..", "examples", folder)
    for name in sorted(os.listdir(examples)):
        with open(os.path.join(examples, name), "rb") as f:
            put(target, name, f.read())


def init_spec():
    specs = ["zeros", "ones", "constant:0.5", "uniform:0.1", "normal:0.02", "truncated_normal:0.5,-2,2",
             "variance_scaling:scale=2,mode=fan_in,distribution=truncated_normal", "lecun_normal",
             "lecun_uniform", "xavier_normal:gain=1.5", "xavier_uniform", "he_normal:mode=fan_out,nonlinearity=leaky_relu,slope=0.2",
             "he_uniform", "orthogonal:1.4", "identity:0.5", "sparse:0.9,0.01", "note_zero", "note_uniform",
             "note_xavier", "note_standard_normal"]
    put_numbered("init_spec", specs)


def activation():
    put_numbered("activation", ["linear", "identity", "tanh", "relu", "leaky_relu", "leaky_relu:0.2", "sigmoid",
                                "relu,relu,sigmoid"])


def sweep_spec():
    put_examples("sweep_spec", "sweeps")
    put("sweep_spec", "minimal", '{"study": "phase", "sw2": 1}')
    put("sweep_spec", "strings", '{"study": "variance", "init": ["he_normal", "orthogonal:1.4"], "depth": [1, 2]}')
    put("sweep_spec", "bad-number", '{"study": "spectrum", "sw2": [1, -1], "width": 1e999}')
    put("sweep_spec", "unknown-field", '{"study": "phase", "sw2": 1, "colour": "red"}')


def net_file():
    put_examples("net_file", "nets")
    put("net_file", "arch-plain", "784-300x4:tanh:lecun_normal-10:linear:xavier_normal")
    put("net_file", "arch-parens", "2-64x8:(leaky_relu:0.2):he_normal-1:linear:(normal:0.01)")
    put("net_file", "bad-width", '{"input": 4, "layers": [{"width": 1e999, "activation": "tanh", "init": "he_normal"}]}')


if __name__ == "__main__":
    idx()
    mnist_cache()
    mnist_json()
    npy()
    init_spec()
    activation()
    sweep_spec()
    net_file()
