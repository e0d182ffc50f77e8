"""Notebook 11's transfer learning: the source model file, the target tasks, the strategies and the panel."""
import numpy as np
import pytest

from lecture_utils.datasets import DatasetError
from lecture_utils.gradcheck import numerical_gradient_array, rel_error
from lecture_utils.training import train
from lecture_utils.experiments.transfer import (BATCH_SIZE, CHEAP_STRATEGIES, EPOCHS, SOURCE_MODEL, STRATEGIES, SourceNet,
                                    all_features, confusion_matrix, digits_28, load_source_model, ridge_classifier,
                                    ridge_fit, run_strategy, save_source_model, target_task, transfer_demo)


def test_the_shipped_source_model_loads_and_is_checked(tmp_path):
    model = load_source_model()
    assert model.params["W1"].shape == (16, 1, 3, 3) and model.params["W4"].shape == (128, 5)
    assert SOURCE_MODEL.stat().st_size < 2e6
    damaged = tmp_path / "model.npz"
    damaged.write_bytes(SOURCE_MODEL.read_bytes()[:-10])
    with pytest.raises(DatasetError, match="SHA-256"):
        load_source_model(damaged)
    with pytest.raises(DatasetError, match="train_source_model"):
        load_source_model(tmp_path / "missing.npz")
    digest = save_source_model(model, tmp_path / "copy.npz")
    assert np.array_equal(load_source_model(tmp_path / "copy.npz", sha256=digest).params["W2"], model.params["W2"])


def test_source_net_gradients(rng):
    net = SourceNet(num_classes=3, reg=0.01, seed=1)
    net.params = {k: v.astype(np.float64) for k, v in net.params.items()}
    X, y = rng.normal(size=(2, 784)), np.array([0, 2])
    loss, grads = net.loss(X, y)
    # the small parameters of every stage (the big weight matrices would take minutes numerically)
    for name, tolerance in (("b1", 1e-5), ("b2", 1e-5), ("b4", 1e-5)):
        numeric = numerical_gradient_array(lambda z: np.array(net.loss(X, y)[0]), net.params[name], np.array(1.0))
        assert rel_error(grads[name], numeric) < tolerance, name


def test_all_features_match_the_stages():
    model, X = load_source_model(), target_task("similar", 3)["X_train"]
    features = all_features(model, X)
    for stage, width in (("conv1", 16 * 14 * 14), ("conv2", 32 * 7 * 7), ("fc", 128)):
        assert features[stage].shape == (15, width)
        assert np.allclose(features[stage], model.features(X, stage), atol=1e-5)


def test_target_tasks_are_balanced_and_disjoint():
    for task in ("similar", "different"):
        data = target_task(task, 10)
        assert data["X_train"].shape == (50, 784) and data["X_test"].shape == (350, 784)
        assert np.bincount(data["y_train"]).tolist() == [10] * 5 and np.bincount(data["y_test"]).tolist() == [70] * 5
        train_rows = {row.tobytes() for row in data["X_train"]}
        assert not any(row.tobytes() in train_rows for row in data["X_test"])
    with pytest.raises(ValueError, match="per_class must be at most"):
        target_task("different", 500)
    images, labels = digits_28()
    assert images.shape == (1797, 28, 28) and images.dtype == np.uint8 and images.max() == 255


def test_ridge_classifier_separates_and_folds_back_onto_raw_features(rng):
    centres = rng.normal(size=(5, 8)) * 3
    y = np.repeat(np.arange(5), 20)
    F = centres[y] + rng.normal(size=(100, 8))
    assert np.mean(ridge_classifier(F * 100 + 7, y, F * 100 + 7) == y) > 0.95
    W, b = ridge_fit(F, y)
    assert np.array_equal(np.argmax(F @ W + b, axis=1), ridge_classifier(F, y, F))
    wide = rng.normal(size=(10, 50))  # more features than examples: the dual form
    assert ridge_classifier(wide, np.arange(10) % 5, wide).shape == (10,)
    assert confusion_matrix([0, 1, 1], [0, 1, 0]).tolist()[:2] == [[1, 0, 0, 0, 0], [1, 1, 0, 0, 0]]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_every_strategy_runs_and_beats_chance(strategy):
    data, source = target_task("similar", 10), load_source_model()
    predictions = run_strategy(strategy, data, source, epochs=2)
    assert predictions.shape == (350,) and np.mean(predictions == data["y_test"]) > 0.4


def test_every_amount_of_data_gets_the_same_epochs(monkeypatch):
    """More data must not mean fewer epochs (the confound of notebook 11's earlier fixed step budget)."""
    from lecture_utils.experiments import transfer

    seen = []

    def spy(model, data, **fit):
        seen.append((len(data["X_train"]), fit["epochs"], fit["batch_size"]))
        return train(model, data, **{**fit, "epochs": 1})

    monkeypatch.setattr(transfer, "train", spy)
    source = load_source_model()
    for per_class in (2, 25):
        for strategy in ("scratch", "finetune_top", "finetune_all"):
            run_strategy(strategy, target_task("similar", per_class), source)
    assert {epochs for _, epochs, _ in seen} == {EPOCHS}
    assert {(n, batch) for n, _, batch in seen} == {(10, 10), (125, BATCH_SIZE)}


def test_freezing_and_learning_rate_scales_in_the_training_loop(rng):
    data = target_task("similar", 4)
    net = SourceNet(seed=0)
    before = {k: v.copy() for k, v in net.params.items()}
    probe = {"X_train": data["X_train"], "y_train": data["y_train"], "X_val": data["X_test"][:20],
             "y_val": data["y_test"][:20]}
    train(net, probe, rng=np.random.default_rng(0), rule="sgd", learning_rate=0.01, epochs=1, batch_size=20,
          progress=False, frozen=("W1", "b1"), lr_scale={"W2": 0.5}, restore_best=False)
    assert np.array_equal(net.params["W1"], before["W1"]) and not np.array_equal(net.params["W2"], before["W2"])
    with pytest.raises(ValueError, match="'W9'"):
        train(net, probe, rng=np.random.default_rng(0), learning_rate=0.1, batch_size=20, frozen=("W9",), progress=False)
    with pytest.raises(ValueError, match="lr_scale"):
        train(net, probe, rng=np.random.default_rng(0), learning_rate=0.1, batch_size=20, lr_scale={"W2": 0.0}, progress=False)


@pytest.mark.parametrize("task", ["similar", "different"])
@pytest.mark.parametrize("per_class,strategy", [(2, "linear_fc"), (10, "finetune_top"), (100, "linear_conv1"),
                                                (50, "linear_conv2")])
def test_transfer_demo_over_the_sliders(task, per_class, strategy):
    result = transfer_demo(task, per_class, strategy)
    assert 0 <= result["accuracy"] <= 1 and result["confusion"].sum() == 350
    assert result["confusion"].trace() == round(result["accuracy"] * 350)


def test_transfer_demo_refuses_the_expensive_strategies():
    with pytest.raises(ValueError, match="strategy"):
        transfer_demo("similar", 10, "finetune_all")
    assert "finetune_all" not in CHEAP_STRATEGIES


def test_source_net_widths_are_arguments(rng):
    net = SourceNet(num_classes=4, channels=(4, 6), hidden=10, seed=0)
    assert net.params["W1"].shape == (4, 1, 3, 3) and net.params["W2"].shape == (6, 4, 3, 3)
    assert net.params["W3"].shape == (6 * 7 * 7, 10) and net.params["W4"].shape == (10, 4)
    X, y = rng.normal(size=(3, 784)).astype(np.float32), np.array([0, 1, 3])
    loss, grads = net.loss(X, y)
    assert np.isfinite(loss) and all(grads[k].shape == v.shape for k, v in net.params.items())
    for bad in (16, (16,), (16, 0)):
        with pytest.raises(ValueError, match="channels"):
            SourceNet(channels=bad)


def test_transfer_table_bolds_every_entry_within_noise_of_the_best():
    import matplotlib
    matplotlib.use("Agg")
    from lecture_utils.course.plotting import plot_transfer_table

    n = 350
    best = np.arange(n) % 10 < 9                       # 0.900
    close = best.copy()
    close[:8], close[9:30:10] = False, True            # 0.886: 8 images lost, 3 won: within noise of the best
    one_sided = best.copy()
    one_sided[:5] = False                              # 0.886 too, but 5 lost and none won: clears the noise
    far = np.arange(n) % 10 < 6                        # 0.600: far behind
    correct = {"a": {"c": best}, "b": {"c": close}, "d": {"c": far}}
    table = {s: {"c": float(v["c"].mean())} for s, v in correct.items()}

    def weights(fig):
        return {t.get_text(): t.get_fontweight() for t in fig.axes[0].texts}

    assert weights(plot_transfer_table(table, ["a", "b", "d"], ["c"])) == {
        "0.900": "bold", "0.886": "normal", "0.600": "normal"}  # without per-image results: only the maximum
    fig = plot_transfer_table(table, ["a", "b", "d"], ["c"], correct=correct)
    assert weights(fig) == {"0.900": "bold", "0.886": "bold", "0.600": "normal"}
    assert "350 test images" in fig.axes[0].get_title()
    correct["b"]["c"] = one_sided
    assert weights(plot_transfer_table(table, ["a", "b", "d"], ["c"], correct=correct))["0.886"] == "normal"
