"""initlab.check on arrays numpy draws from the exact laws: accepted at the default level
1e-6 (each case is rejected by chance w.p. <= 1e-6: the level is family-wise); a 5%
variance error, truncation bounds and the (in, out) / (out, in) swap are rejected, with
the power stated; the result is the command's."""
import math

import numpy as np
import pytest

import initlab

OUT, IN = 300, 500
TRUNC_SD = 0.87962566103423978  # sd of N(0, 1) truncated to [-2, 2]


def truncated(rng, shape, sd, a, b):
    """sd * (Z | a <= Z <= b) by rejection."""
    n = math.prod(shape)
    out = np.empty(0)
    while out.size < n:
        z = rng.standard_normal(4 * n)
        out = np.concatenate([out, z[(z >= a) & (z <= b)]])
    return (sd * out[:n]).reshape(shape)


def haar(rng, out, inp):
    """gain-1 orthogonal (out, in) with orthonormal rows (out <= in), Haar (sign-fixed QR)."""
    q, r = np.linalg.qr(rng.standard_normal((inp, out)))
    return (q * np.sign(np.diag(r))).T


def sparse(rng, out, inp, sparsity, sd):
    w = rng.normal(0.0, sd, (out, inp))
    z = math.ceil(sparsity * out)
    for j in range(inp):
        w[rng.choice(out, z, replace=False), j] = 0.0
    return w


def numpy_draws(rng):
    v = 2.0 / IN
    lim = math.sqrt(6.0 / (IN + OUT))
    return {
        "he_normal": rng.normal(0.0, math.sqrt(v), (OUT, IN)),
        "xavier_uniform": rng.uniform(-lim, lim, (OUT, IN)),
        "uniform:0.1": rng.uniform(-0.1, 0.1, (OUT, IN)),
        "truncated_normal:0.5": truncated(rng, (OUT, IN), 0.5, -2.0, 2.0),
        "truncated_normal:1,-1,3": truncated(rng, (OUT, IN), 1.0, -1.0, 3.0),
        "variance_scaling:scale=2,mode=fan_in,distribution=truncated_normal":
            truncated(rng, (OUT, IN), math.sqrt(v) / TRUNC_SD, -2.0, 2.0),
        "orthogonal:1.5": 1.5 * haar(rng, OUT, IN),
        "identity:1.5": 1.5 * np.eye(OUT, IN),
        "ones": np.ones((OUT, IN)),
        "sparse:0.25,0.1": sparse(rng, OUT, IN, 0.25, 0.1),
    }


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_numpy_draws_of_the_exact_laws_are_accepted(dtype):
    for spec, w in numpy_draws(np.random.default_rng(20261201)).items():
        r = initlab.check(w.astype(dtype), spec)
        assert r["consistent"], (spec, [(t["name"], t["p_value"]) for t in r["tests"]])
        assert r["level"] == 1e-6


def test_a_five_percent_variance_error_is_rejected():
    # N = 10^5 entries of N(0, 1.05 * 2/500) against he_normal. The variance test (level
    # 1e-6 / 4: mean, variance, ks, pairs) rejects when chi2 >= N + u*, u* = 2 sqrt(N x*) + 2 x*,
    # x* = ln(2 * 4 / 1e-6);
    # under the alternative chi2_obs = 1.05 chi2_N, missed only if chi2_N <= (N + u*) / 1.05,
    # w.p. <= exp(-(gap / (2 sqrt N))^2) (Laurent-Massart lower tail).
    n = 200 * 500
    xs = math.log(2 * 4 / 1e-6)
    gap = n - (n + 2 * math.sqrt(n * xs) + 2 * xs) / 1.05
    power = 1 - math.exp(-(gap / (2 * math.sqrt(n))) ** 2)
    assert power >= 1 - 2e-6
    w = np.random.default_rng(1).normal(0.0, math.sqrt(1.05 * 2 / 500), (200, 500))
    r = initlab.check(w, "he_normal")
    tests = {t["name"]: t for t in r["tests"]}
    assert not r["consistent"] and tests["variance"]["rejected"]
    assert tests["variance"]["value"] == pytest.approx(1.05, abs=0.02)


def test_truncation_bounds_are_detected():
    # PyTorch's trunc_normal_(std=0.02) truncates at +-2 absolute (100 sd): a plain N(0, 0.02^2).
    # An entry is outside +-2 sd w.p. 0.0455; none of 10^4 is w.p. 0.9545^10^4 < 1e-200.
    w = np.random.default_rng(2).normal(0.0, 0.02, (100, 100)).astype(np.float32)
    r = initlab.check(w, "truncated_normal:0.02")
    tests = {t["name"]: t for t in r["tests"]}
    assert not r["consistent"] and tests["bounds"]["rejected"] and tests["bounds"]["value"] > 0
    assert initlab.check(w, "normal:0.02")["consistent"]
    assert initlab.check(w, "truncated_normal:0.02,-100,100")["consistent"]


def test_the_layout_swap_is_caught_on_a_non_square_kernel():
    rng = np.random.default_rng(3)
    keras = rng.normal(0.0, math.sqrt(2 / 784), (784, 256))  # Keras (in, out), he_normal
    assert initlab.check(keras, "he_normal", layout="in_out")["consistent"]
    r = initlab.check(keras, "he_normal", layout="out_in")  # fan_in read as 256
    assert not r["consistent"] and r["fan_in"] == 256
    # conv kernels: PyTorch (out, in, kh, kw) and Keras (kh, kw, in, out), fan_in = 32 * 9
    torch_k = rng.normal(0.0, math.sqrt(2 / 288), (64, 32, 3, 3))
    assert initlab.check(torch_k, "he_normal")["consistent"]
    keras_k = np.ascontiguousarray(torch_k.transpose(2, 3, 1, 0))
    r = initlab.check(keras_k, "he_normal", layout="in_out")
    assert r["consistent"] and (r["fan_in"], r["fan_out"]) == (288, 576)
    assert not initlab.check(keras_k, "he_normal", layout="out_in")["consistent"]


def test_same_result_as_the_command(cli_json, tmp_path):
    w = np.random.default_rng(4).uniform(-0.05, 0.05, (120, 80)).astype(np.float32)
    np.save(tmp_path / "w.npy", np.asfortranarray(w))
    # U(-0.05, 0.05) is no registry spec at fans (80, 120): auto finds none (exit 1)
    for spec, want in [("uniform:0.05", 0), ("xavier_uniform", 1), ("auto", 1)]:
        code, j = cli_json("check", tmp_path / "w.npy", "--expect", spec, "--json")
        got = initlab.check(np.asfortranarray(w), spec)
        del j["provenance"], j["file"]
        assert got == j, spec
        assert code == want, spec


def test_auto_names_the_spec():
    w = np.random.default_rng(5).normal(0.0, math.sqrt(2 / 400), (100, 400))
    assert "he_normal" in initlab.check(w, "auto")["consistent"]


def test_bad_input_is_a_value_error():
    with pytest.raises(ValueError, match=r"dtype int64; expected float32 or float64"):
        initlab.check(np.zeros((3, 4), dtype=np.int64), "zeros")
    with pytest.raises(ValueError, match=r"'io' is not a layout"):
        initlab.check(np.zeros((3, 4)), "zeros", layout="io")
    with pytest.raises(ValueError, match=r"shape \(12\) is not a weight"):
        initlab.check(np.zeros(12), "zeros")
