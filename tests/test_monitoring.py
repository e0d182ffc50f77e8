"""Notebook 05's tools: update-to-weight ratios, dead units, the training monitors and the learning-rate probe."""
import math

import numpy as np
import pytest

from lecture_utils.models import FullyConnectedNet
from lecture_utils.experiments.monitoring import (LayerMonitor, UpdateRatioMonitor, dead_fraction, learning_rate_probe,
                                      update_ratios)
from lecture_utils.training import train


def test_update_ratios_of_the_weight_matrices_only(rng):
    params = {"W1": np.full((3, 4), 2.0), "b1": np.zeros(4), "W2": np.ones((4, 2)), "gamma1": np.ones(4)}
    updates = {k: np.full_like(v, 0.002) for k, v in params.items()}
    ratios = update_ratios(params, updates)
    assert set(ratios) == {"W1", "W2"}
    assert ratios["W1"] == pytest.approx(0.001) and ratios["W2"] == pytest.approx(0.002)
    assert update_ratios({"W1": np.zeros((2, 2))}, {"W1": np.ones((2, 2))}) == {"W1": math.inf}
    with pytest.raises(ValueError, match="updates has no entry 'W2'"):
        update_ratios(params, {"W1": updates["W1"]})


def test_dead_fraction_counts_units_that_never_fire():
    h = np.array([[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 2.0, 0.0]])
    assert dead_fraction(h) == 0.5
    with pytest.raises(ValueError, match="h must have shape"):
        dead_fraction(np.zeros(3))


def test_hidden_outputs_are_the_activations_of_every_hidden_layer(rng):
    net = FullyConnectedNet([7, 5, 3], 6, 4, seed=1, dtype=np.float64)
    X = rng.normal(size=(9, 6))
    outs = net.hidden_outputs(X)
    h = X
    for layer, out in enumerate(outs, start=1):
        h = np.maximum(h @ net.params[f"W{layer}"] + net.params[f"b{layer}"], 0)
        np.testing.assert_allclose(out, h)
    assert [o.shape for o in outs] == [(9, 7), (9, 5), (9, 3)]


def _toy_data(rng, n=400):
    X = rng.normal(size=(n, 20)).astype(np.float32)
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int64) + 2 * (X[:, 2] > 0)
    return {"X_train": X[:300], "y_train": y[:300], "X_val": X[300:], "y_val": y[300:]}


def test_monitors_record_what_the_training_loop_did(rng):
    data = _toy_data(rng)
    net = FullyConnectedNet([16, 16], 20, 4, seed=0)
    ratios, layers = UpdateRatioMonitor(every=3), LayerMonitor(net, data["X_val"], every=10)
    history = train(net, data, rng=np.random.default_rng(0), rule="sgd", learning_rate=0.05, epochs=2, batch_size=30,
                    progress=False, callbacks=[ratios, layers])
    steps, r = ratios.as_arrays()
    assert steps.tolist() == list(range(0, 20, 3)) and set(r) == {"W1", "W2", "W3"}
    # plain SGD: the update is -lr * grad, so the ratio is lr * ||grad|| / ||W|| with W before the step
    assert np.all((r["W1"] > 1e-5) & (r["W1"] < 1))
    layer_steps, stats = layers.as_arrays()
    assert layer_steps.tolist() == [0, 10]
    assert stats["act_std"].shape == stats["dead"].shape == (2, 2) and stats["grad_std"].shape == (2, 3)
    assert np.all((stats["dead"] >= 0) & (stats["dead"] <= 1))
    assert len(history.loss) == 20


def test_update_ratio_of_plain_sgd_is_lr_times_grad_over_weight(rng):
    data = _toy_data(rng)
    net = FullyConnectedNet([8], 20, 4, seed=0, dtype=np.float64)
    seen = []

    class Spy:
        def on_step(self, info):
            before = {k: info.params[k] - info.updates[k] for k in info.params}
            seen.append((np.linalg.norm(info.grads["W1"]) * 0.1 / np.linalg.norm(before["W1"])))

    monitor = UpdateRatioMonitor()
    train(net, data, rng=np.random.default_rng(0), rule="sgd", learning_rate=0.1, epochs=1, batch_size=100,
          progress=False, callbacks=[Spy(), monitor])
    np.testing.assert_allclose(monitor.ratios["W1"], seen, rtol=1e-10)


def test_layer_monitor_needs_hidden_outputs():
    with pytest.raises(ValueError, match="hidden_outputs"):
        LayerMonitor(object(), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="every"):
        UpdateRatioMonitor(every=0)


@pytest.mark.parametrize("log10_lr,seed", [(-7.0, 0), (-3.0, 1), (-1.0, 0), (0.0, 5), (0.75, 0), (1.5, 2**31 - 1)])
def test_learning_rate_probe_over_the_slider_range(log10_lr, seed):
    result = learning_rate_probe(log10_lr, seed=seed)
    loss = result["loss"]
    assert loss.shape == (200,) and result["lr"] == pytest.approx(10**log10_lr)
    if result["diverged_at"] is None:
        assert np.all(np.isfinite(loss)) and math.isfinite(result["end"])
    else:
        assert np.all(np.isfinite(loss[:result["diverged_at"]])) and np.all(np.isnan(loss[result["diverged_at"]:]))


def test_learning_rate_probe_tells_low_good_and_high_apart():
    low, good, high = (learning_rate_probe(v) for v in (-5.0, -1.0, 1.5))
    ln10 = np.log(10)
    assert abs(low["end"] - low["start"]) < 0.1 and abs(low["start"] - ln10) < 0.3  # barely moves
    assert good["end"] < 0.8 and good["diverged_at"] is None
    assert high["diverged_at"] is not None and high["diverged_at"] < 50


@pytest.mark.parametrize("kwargs,name", [({"log10_lr": 2.0}, "log10_lr"), ({"log10_lr": float("nan")}, "log10_lr"),
                                         ({"log10_lr": -1.0, "steps": 5}, "steps")])
def test_learning_rate_probe_refuses_bad_values(kwargs, name):
    with pytest.raises(ValueError, match=name):
        learning_rate_probe(**kwargs)


def test_learning_rate_panel_redraws_when_the_slider_moves(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    from lecture_utils.course import widgets

    monkeypatch.setattr(widgets, "display", lambda box: None)
    box = widgets.learning_rate_panel(log10_lr=-1.0, seed=0)
    slider = box.children[1].children[0]
    assert box.state["result"]["lr"] == pytest.approx(0.1)
    slider.value = 1.5
    assert box.state["result"]["diverged_at"] is not None
