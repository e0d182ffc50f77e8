"""Notebook 09's ensembles: prediction averaging, the snapshot and Polyak callbacks, and the panel's computation."""
import numpy as np
import pytest

from lecture_utils.experiments.ensembles import (PolyakAverager, SnapshotCollector, accuracy_curve, average_predictions,
                                     ensemble_growth, probabilities, scores_with)
from lecture_utils.models import FullyConnectedNet
from lecture_utils.noise import paired_difference
from lecture_utils.training import train


def test_average_predictions_is_the_mean_of_the_members_probabilities(rng):
    scores = rng.normal(size=(3, 7, 4)) * np.array([10.0, 1.0, 0.1])[:, None, None]
    probs = average_predictions(scores)
    assert probs.shape == (7, 4) and np.allclose(probs.sum(axis=1), 1)
    assert np.allclose(probs, np.mean([probabilities(s) for s in scores], axis=0))
    assert np.all(np.isfinite(probabilities(np.array([[1e4, 0.0], [-1e4, 0.0]]))))
    with pytest.raises(ValueError, match="member_scores"):
        average_predictions(np.zeros((4, 3)))


def test_accuracy_curve_counts_the_first_k_members():
    y = np.array([0, 1, 1])
    scores = np.array([[[5, 0], [5, 0], [5, 0]],  # member 1: always class 0 (1 of 3 right)
                       [[0, 9], [0, 9], [0, 9]]], dtype=float)  # member 2: confidently class 1
    assert accuracy_curve(scores, y).tolist() == pytest.approx([1 / 3, 2 / 3])
    with pytest.raises(ValueError, match="len\\(y\\)"):
        accuracy_curve(scores, np.zeros(5))


def _toy(rng, n=300):
    X = rng.normal(size=(n, 10)).astype(np.float32)
    y = (X[:, 0] > 0).astype(np.int64) + (X[:, 1] > 0)
    return {"X_train": X[:200], "y_train": y[:200], "X_val": X[200:], "y_val": y[200:]}


def test_snapshots_and_the_polyak_average_follow_the_run(rng):
    data = _toy(rng)
    net = FullyConnectedNet([8], 10, 3, seed=0, dtype=np.float64)
    snapshots, polyak = SnapshotCollector([2, 5]), PolyakAverager(start=3)
    seen = []

    class Spy:
        def on_step(self, info):
            seen.append({k: v.copy() for k, v in info.params.items()})

    train(net, data, rng=np.random.default_rng(0), rule="sgd", learning_rate=0.1, epochs=1, batch_size=40,
          progress=False, callbacks=[Spy(), snapshots, polyak], restore_best=False)
    assert len(snapshots.snapshots) == 2
    assert all(np.array_equal(snapshots.snapshots[0][k], seen[1][k]) for k in seen[1])
    assert all(np.array_equal(snapshots.snapshots[1][k], seen[4][k]) for k in seen[4])
    assert polyak.count == 2 and np.allclose(polyak.average["W1"], (seen[3]["W1"] + seen[4]["W1"]) / 2)
    before = {k: v.copy() for k, v in net.params.items()}
    scores = scores_with(net, snapshots.snapshots[0], data["X_val"])
    assert all(np.array_equal(net.params[k], before[k]) for k in before)  # put back afterwards
    net.params.update(snapshots.snapshots[0])
    assert np.allclose(scores, net.loss(data["X_val"]))
    with pytest.raises(ValueError, match="steps"):
        SnapshotCollector([0, 3])


@pytest.mark.parametrize("members,seed", [(1, 0), (5, 0), (10, 2**31 - 1), (3, 7)])
def test_ensemble_growth_over_the_slider(members, seed):
    result = ensemble_growth(members, seed=seed)
    for key in ("independent", "snapshot", "members_acc"):
        assert result[key].shape == (members,) and np.all((result[key] >= 0) & (result[key] <= 1))
    assert result["independent"][0] == result["members_acc"][0]


def test_ensemble_growth_gains_a_little_from_averaging():
    result = ensemble_growth(5, seed=0)
    assert result["independent"][-1] > result["members_acc"].mean()
    right = result["right"]
    assert set(right) == {"independent", "snapshot", "single"}
    assert all(r.shape == (result["n_val"],) for r in right.values())
    assert right["independent"].mean() == result["independent"][-1]
    assert right["snapshot"].mean() == result["snapshot"][-1]
    assert right["single"].mean() == result["single"]


def test_ensemble_growth_one_long_run_beats_ten_short_independent_ones():
    """Notebook 09's panel text at ten members: the single network trained for all the steps is ahead of the
    independent ensemble beyond noise, and the snapshot ensemble is never ahead of it beyond noise."""
    for seed in range(3):
        right = ensemble_growth(10, seed=seed)["right"]
        over_independent = paired_difference(right["single"], right["independent"])
        over_snapshots = paired_difference(right["single"], right["snapshot"])
        assert over_independent.clears() and over_independent.difference > 0
        assert not (over_snapshots.clears() and over_snapshots.difference < 0)
    with pytest.raises(ValueError, match="members"):
        ensemble_growth(11)
