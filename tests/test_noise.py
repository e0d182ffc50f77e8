"""lecture_utils.noise: standard errors, spread over seeds, paired comparisons."""
import numpy as np
import pytest

from lecture_utils.noise import Comparison, accuracy_standard_error, over_seeds, paired_difference


def test_accuracy_standard_error_is_the_binomial_formula():
    assert accuracy_standard_error(0.83, 1500) == pytest.approx(np.sqrt(0.83 * 0.17 / 1500))
    assert 0.0095 < accuracy_standard_error(0.83, 1500) < 0.0100  # "about 1 point", as the course says
    assert accuracy_standard_error(1.0, 10) == 0.0 and accuracy_standard_error(0.0, 10) == 0.0
    np.testing.assert_allclose(accuracy_standard_error(np.array([0.5, 0.9]), 100), [0.05, 0.03])


def test_accuracy_standard_error_matches_repeated_test_sets():
    rng = np.random.default_rng(0)
    accuracies = rng.binomial(1500, 0.83, size=20_000) / 1500  # the same model on 20,000 fresh test sets
    assert accuracies.std() == pytest.approx(accuracy_standard_error(0.83, 1500), rel=0.02)


@pytest.mark.parametrize("accuracy, n, name", [(1.2, 10, "accuracy"), (-0.1, 10, "accuracy"),
                                               (float("nan"), 10, "accuracy"), (0.5, 0, "n"), (0.5, 2.5, "n"),
                                               ("0.5", 10, "accuracy")])
def test_accuracy_standard_error_refuses_bad_input(accuracy, n, name):
    with pytest.raises(ValueError, match=name):
        accuracy_standard_error(accuracy, n)


def test_over_seeds():
    spread = over_seeds([0.80, 0.82, 0.84])
    assert spread.mean == pytest.approx(0.82) and spread.std == pytest.approx(0.02)
    assert spread.standard_error == pytest.approx(0.02 / np.sqrt(3))
    assert (spread.low, spread.high, spread.n) == (0.80, 0.84, 3)
    assert "0.820 ± 0.020" in str(spread) and "3 seeds" in str(spread)


@pytest.mark.parametrize("values", [[0.8], [], [[0.8, 0.9]], [0.8, float("inf")], ["a", "b"], None])
def test_over_seeds_refuses_bad_input(values):
    with pytest.raises(ValueError, match="values"):
        over_seeds(values)


def test_paired_difference_on_examples_is_the_accuracy_difference():
    rng = np.random.default_rng(1)
    a = rng.random(1500) < 0.85
    b = rng.random(1500) < 0.80
    comparison = paired_difference(a, b)
    assert comparison.difference == pytest.approx(a.mean() - b.mean())
    d = a.astype(float) - b
    assert comparison.standard_error == pytest.approx(d.std(ddof=1) / np.sqrt(1500))
    assert comparison.wins == np.sum(a & ~b) and comparison.losses == np.sum(~a & b)
    assert comparison.n == 1500


def test_pairing_is_sharper_than_two_separate_error_bars():
    """Two models that agree on most images: the paired SE is far below the SE of either accuracy."""
    rng = np.random.default_rng(2)
    a = rng.random(1500) < 0.83
    b = a.copy()
    flip = rng.choice(1500, size=40, replace=False)
    b[flip] = ~b[flip]
    assert paired_difference(a, b).standard_error < 0.5 * accuracy_standard_error(a.mean(), 1500)


def test_clears_and_verdict():
    ahead = paired_difference([0.85, 0.86, 0.84, 0.85], [0.80, 0.81, 0.80, 0.79])
    assert ahead.clears() and ahead.verdict("BN", "plain") == "BN ahead"
    behind = paired_difference([0.80, 0.81, 0.80, 0.79], [0.85, 0.86, 0.84, 0.85])
    assert behind.clears() and behind.verdict("BN", "plain") == "plain ahead"
    noisy = paired_difference([0.80, 0.86, 0.79, 0.84], [0.82, 0.81, 0.83, 0.80])
    assert not noisy.clears() and noisy.verdict() == "within noise"
    low, high = noisy.interval()
    assert low < 0 < high and high - low == pytest.approx(4 * noisy.standard_error)
    assert "2 SE" in str(noisy) and "4 pairs" in str(noisy)
    same = paired_difference([0.1, 0.2], [0.0, 0.1])  # every pair differs by exactly 0.1: no noise at all
    assert same.standard_error == pytest.approx(0.0, abs=1e-12) and same.clears()
    with pytest.raises(ValueError, match="k"):
        ahead.interval(k=0)
    assert noisy.rules_out(0.1) and not noisy.rules_out(0.01) and not ahead.rules_out(0.05)
    with pytest.raises(ValueError, match="size"):
        noisy.rules_out(-1)


def test_two_standard_errors_rarely_call_equal_methods_different():
    """Two methods with the same true accuracy: 'clears' fires in about 5% of test sets (two-sided, 2 SE)."""
    rng = np.random.default_rng(3)
    fired = [paired_difference(rng.random(1500) < 0.83, rng.random(1500) < 0.83).clears() for _ in range(2000)]
    assert 0.03 < np.mean(fired) < 0.07


@pytest.mark.parametrize("a, b, name", [([1, 0], [1, 0, 1], "pair up"), ([1], [0], "a"),
                                        ([1, 2], [np.nan, 1], "b"), ("ab", [1, 2], "a"),
                                        (["1", "2"], [1, 2], "a")])
def test_paired_difference_refuses_bad_input(a, b, name):
    with pytest.raises(ValueError, match=name):
        paired_difference(a, b)


def test_comparison_is_a_plain_record():
    c = Comparison(0.01, 0.002, 100, 3, 1)
    assert c.clears() and c.interval(1) == pytest.approx((0.008, 0.012))


def test_accuracy_plots_show_their_noise():
    """A 5-image difference on 1,500 images must not fill the y-axis: the range spans at least 12 standard errors."""
    import matplotlib

    matplotlib.use("Agg")
    from lecture_utils.course.plotting import plot_ensemble_curves

    curves = {"a": np.array([0.850, 0.852, 0.853]), "b": np.array([0.851, 0.849, 0.850])}
    fig = plot_ensemble_curves(curves, members_acc=np.array([0.848, 0.851, 0.850]), n=1500)
    ax = fig.axes[0]
    low, high = ax.get_ylim()
    assert high - low >= 11.9 * accuracy_standard_error(0.85, 1500) and high <= 1.0
    assert len(ax.collections) >= 2  # one band per curve
    plain = plot_ensemble_curves(curves).axes[0]  # without n: matplotlib's own range, no bands
    assert plain.get_ylim()[1] - plain.get_ylim()[0] < high - low
