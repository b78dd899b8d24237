"""initlab.critical, initlab.phase and initlab.spectrum: the same values as the commands."""
import json

import numpy as np
import pytest

import initlab
from csv_table import as_float, csv_columns


def assert_same_table(got, text, text_columns):
    header, cols = csv_columns(text)
    assert list(got) == header
    for name in header:
        if name in text_columns:
            assert list(got[name]) == cols[name], name
        else:
            # the CSV writes 10 significant digits (analysis/output.cpp csv_number)
            np.testing.assert_allclose(got[name], as_float(cols[name]), rtol=1e-9, atol=0, err_msg=name)


def test_critical_equals_the_json(cli):
    for act, s in [("tanh", 0.2), ("relu", 0.0), ("relu", 0.1)]:
        r = cli("critical", "--activation", act, "--bias-std", s, "--json", "-", check=False)
        assert r.returncode == (3 if (act, s) == ("relu", 0.1) else 0)
        want = json.loads(r.stdout)
        got = initlab.critical(act, bias_std=s)
        for key in ["exists", "reason", "sw2", "gain", "q_star", "init", "init_orthogonal", "bias_init"]:
            assert got[key] == want[key], (act, s, key)


def test_critical_spec_draws_the_critical_variance():
    c = initlab.critical("tanh", bias_std=0.1)
    w = initlab.init(c["init"], (400, 500), seed=3)
    # E[W^2] = sw2 / fan_in; the sample mean of 2e5 squares of a Gaussian has relative
    # sd sqrt(2 / 2e5) = 0.32%, so 3% is about 9.5 sd (probability far below 1e-6)
    assert abs(np.mean(w.astype(np.float64) ** 2) * 500 / c["sw2"] - 1) < 0.03


def test_phase_equals_the_csv(cli):
    args = dict(sw2=[0.5, 2.0], sb2=[0.0, 0.1], width=24, depth=10, seeds=2, pairs=2, seed=4)
    text = cli("phase", "--sw2", "0.5,2", "--sb2", "0,0.1", "--width", 24, "--depth", 10, "--seeds", 2,
               "--pairs", 2, "--seed", 4, "--csv", "-").stdout
    assert_same_table(initlab.phase(**args), text, {"activation", "phase"})


def test_spectrum_equals_the_csv(cli):
    text = cli("spectrum", "--activation", "linear,tanh", "--width", 16, "--depths", "1,3", "--seeds", 2,
               "--seed", 5, "--csv", "-").stdout
    got = initlab.spectrum(activation=["linear", "tanh"], width=16, depths=[1, 3], seeds=2, seed=5)
    assert_same_table(got, text, {"activation", "init"})


def test_bad_input_is_a_value_error():
    with pytest.raises(ValueError, match="gaussian or orthogonal"):
        initlab.spectrum(init=["uniform"], width=8, depths=[1])
    with pytest.raises(ValueError):
        initlab.phase(depth=1)
    with pytest.raises(ValueError):
        initlab.critical("tanh", bias_std=-1.0)
