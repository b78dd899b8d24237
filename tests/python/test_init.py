"""initlab.init / initlab.init_: bit-identical to the command line's draw; bad input is
a ValueError with the library's one-line message."""
import numpy as np
import pytest

import initlab

SPECS = ["he_normal", "xavier_uniform", "orthogonal:2", "truncated_normal:0.02", "sparse:0.3,0.5",
         "identity:1.5", "variance_scaling:scale=2,mode=fan_out,distribution=truncated_normal"]


@pytest.mark.parametrize("spec", SPECS)
@pytest.mark.parametrize("dtype", ["float", "double"])
def test_draw_equals_the_cli_bytes(cli, tmp_path, spec, dtype):
    f = tmp_path / "w.npy"
    cli("init", spec, "--shape", "37,53", "--seed", 7, "--dtype", dtype, "--npy", f)
    want = np.load(f)
    got = initlab.init(spec, (37, 53), seed=7, dtype=np.float32 if dtype == "float" else "float64")
    assert got.dtype == want.dtype and got.shape == (37, 53)
    assert got.tobytes() == want.tobytes()
    assert initlab.init(spec, (37, 53), seed=7, dtype=got.dtype, threads=2).tobytes() == want.tobytes()


def test_fills_in_place():
    a = np.full((40, 30), np.nan, dtype=np.float32)
    assert initlab.init_(a, "he_uniform", seed=3) is a
    assert a.tobytes() == initlab.init("he_uniform", (40, 30), seed=3).tobytes()
    b = np.zeros((40, 30))
    initlab.init_(b, "he_uniform", seed=3)
    assert b.tobytes() == initlab.init("he_uniform", (40, 30), seed=3, dtype="float64").tobytes()


def test_fills_a_torch_tensor_without_a_copy():
    torch = pytest.importorskip("torch")
    t = torch.empty(64, 32)
    initlab.init_(t.numpy(), "orthogonal", seed=5)
    assert t.numpy().tobytes() == initlab.init("orthogonal", (64, 32), seed=5).tobytes()


def test_bad_input_is_a_value_error():
    with pytest.raises(ValueError, match=r"^swish: unknown initializer 'swish'; expected one of"):
        initlab.init("swish", (3, 4))
    with pytest.raises(ValueError, match=r"^normal:-1: STD must be > 0"):
        initlab.init("normal:-1", (3, 4))
    with pytest.raises(ValueError, match=r"shape \(2, 3, 4\) is not \(out, in\)"):
        initlab.init("he_normal", (2, 3, 4))
    with pytest.raises(ValueError, match=r"dtype int32; expected float32 or float64"):
        initlab.init("he_normal", (3, 4), dtype="int32")
    with pytest.raises(ValueError, match=r"not C-contiguous"):
        initlab.init_(np.zeros((4, 3), order="F"), "he_normal")
    ro = np.zeros((4, 3))
    ro.flags.writeable = False
    with pytest.raises(ValueError, match=r"read-only"):
        initlab.init_(ro, "he_normal")
    with pytest.raises(ValueError, match=r"dtype float16"):
        initlab.init_(np.zeros((4, 3), dtype=np.float16), "he_normal")
    with pytest.raises(ValueError, match=r"has a zero dimension"):
        initlab.init("he_normal", (0, 3))
