"""initlab.theory and initlab.variance: the columns and values of the command's CSV."""
import numpy as np

import initlab
from csv_table import as_float, csv_columns


def test_theory_equals_the_csv(cli):
    text = cli("theory", "--activation", "tanh", "--sw2", 1.5, "--depth", 30, "--csv", "-").stdout
    header, cols = csv_columns(text)
    got = initlab.theory(activation="tanh", sw2=1.5, depth=30)
    assert list(got) == header
    for name in ["layer", "q", "ln_q", "chi1", "qt", "grad2"]:
        np.testing.assert_array_equal(got[name], as_float(cols[name]), err_msg=name)
    assert np.isnan(got["width"]).all()
    w = initlab.theory(activation="relu", sw2=2.0, widths=[100, 50, 25], mode="fan_out")
    assert list(w["width"]) == [50, 25]


def test_variance_equals_the_csv(cli):
    args = ["--activation", "tanh", "--activation", "relu", "--init", "he_normal", "--width", 48,
            "--depth", 4, "--batch", 16, "--seeds", 2, "--seed", 3]
    header, cols = csv_columns(cli("variance", *args, "--csv", "-").stdout)
    got = initlab.variance(activation=["tanh", "relu"], init="he_normal", width=48, depth=4,
                           batch=16, seeds=2, seed=3)
    assert list(got) == header
    assert len(got["layer"]) == 8
    for name in header:
        if got[name].dtype == np.float64:
            # the CSV prints 10 significant digits (%.10g): relative rounding <= 5e-10
            np.testing.assert_allclose(got[name], as_float(cols[name]), rtol=5e-10, err_msg=name)
    assert list(got["activation"][:4]) == ["tanh"] * 4


def test_bad_study_input_is_a_value_error():
    import pytest
    with pytest.raises(ValueError, match="mish"):
        initlab.theory(activation="mish")
    with pytest.raises(ValueError):
        initlab.variance(init="nope", width=8, depth=2, batch=4, seeds=1)
