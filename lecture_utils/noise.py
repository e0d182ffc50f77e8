"""How much of a measured difference is noise: the few statistics a claim in this course needs.

An accuracy measured on n test images is itself a random quantity: another draw of n images, another seed for
the initial weights and the minibatch order, or another BLAS thread count (which changes the rounding of every
matrix product) gives another number. A claim such as "batch norm trains better" is only a claim when the
difference it rests on is larger than that noise. Three tools:

- `accuracy_standard_error(p, n)`: one standard error of an accuracy p measured on n examples,
  sqrt(p (1 - p) / n) (about 0.010 for p = 0.83 on n = 1,500);
- `over_seeds(values)`: the mean of a result over several seeds, its spread (standard deviation) and the standard
  error of that mean;
- `paired_difference(a, b)`: method A against method B on the *same* units (the same test images, scored 1 or 0
  for right or wrong, or the same seeds), the mean of the differences a_i - b_i and its standard error. Pairing
  removes what the two share (an image that both get wrong, a seed that is easy for both), so it is sharper than
  comparing two accuracies with their own error bars.

A difference *clears its noise* when it is more than two standard errors from zero (`Comparison.clears()`); the
notebooks assert that, or, where it does not clear, say "within noise", print the interval and assert that it
contains no large effect. Two standard errors is a loose rule, not a test at a chosen level: with the many
claims in the course some true nulls will show a "difference" by chance, which is why a claim is asserted only
where the course also has a reason for it (the lecture, a mechanism shown in the notebook).
"""
from typing import NamedTuple

import numpy as np

from ._validation import _show, check_int, check_positive


def accuracy_standard_error(accuracy, n):
    """One standard error of an accuracy measured on n examples: sqrt(p (1 - p) / n).

    Inputs: accuracy, a number or array in [0, 1]; n, the number of examples it was measured on (an integer >= 1).
    Returns a float (or an array shaped like `accuracy`). The binomial formula assumes the n examples were drawn
    independently; it says how far the same model's accuracy would move on another test set of the same size.
    """
    check_int("n", n, minimum=1)
    p = np.asarray(accuracy)
    if p.dtype.kind not in "fiu" or not np.all(np.isfinite(p)) or np.any(p < 0) or np.any(p > 1):
        raise ValueError(f"accuracy must be in [0, 1], got {_show(accuracy)}")
    p = p.astype(np.float64)
    se = np.sqrt(p * (1 - p) / n)
    return float(se) if se.ndim == 0 else se


class Spread(NamedTuple):
    """A result over several seeds: `mean`, `std` (the spread of one run, ddof=1), `standard_error` of the mean
    (std / sqrt(n)), `low` and `high` (the smallest and largest run) and `n` (the number of seeds)."""

    mean: float
    std: float
    standard_error: float
    low: float
    high: float
    n: int

    def __str__(self):
        return (f"{self.mean:.3f} ± {self.std:.3f} (mean ± std over {self.n} seeds, range "
                f"{self.low:.3f} to {self.high:.3f})")


def over_seeds(values):
    """Mean, spread and range of one result measured once per seed.

    Input: values, a sequence (n,) of at least two finite numbers, one per seed. Returns a `Spread`.
    """
    values = _finite_vector("values", values)
    std = float(values.std(ddof=1))
    return Spread(float(values.mean()), std, std / np.sqrt(len(values)), float(values.min()),
                  float(values.max()), len(values))


class Comparison(NamedTuple):
    """A paired comparison: `difference`, the mean of a_i - b_i; `standard_error`, that of the mean; `n`, the
    number of pairs; `wins` and `losses`, how many pairs A won and lost (ties are neither)."""

    difference: float
    standard_error: float
    n: int
    wins: int
    losses: int

    def interval(self, k=2.0):
        """(low, high): the difference plus or minus k standard errors."""
        check_positive("k", k)
        return self.difference - k * self.standard_error, self.difference + k * self.standard_error

    def clears(self, k=2.0):
        """True when the difference is more than k standard errors from zero (A and B differ beyond noise)."""
        low, high = self.interval(k)
        return low > 0 or high < 0

    def rules_out(self, size, k=2.0):
        """True when the interval (k standard errors) lies strictly inside (-size, size): no effect as large as
        `size` either way. The honest thing to assert about a difference that is "within noise"."""
        check_positive("size", size)
        low, high = self.interval(k)
        return -size < low and high < size

    def verdict(self, a="A", b="B", k=2.0):
        """'A ahead', 'B ahead' or 'within noise', with the names given."""
        if not self.clears(k):
            return "within noise"
        return f"{a} ahead" if self.difference > 0 else f"{b} ahead"

    def __str__(self):
        low, high = self.interval()
        return (f"{self.difference:+.3f} ± {2 * self.standard_error:.3f} (2 SE, interval {low:+.3f} to {high:+.3f}; "
                f"{self.n} pairs, {self.wins} won, {self.losses} lost)")


def paired_difference(a, b):
    """A against B on the same units: the mean difference and its standard error.

    Inputs: a, b: sequences (n,) of n >= 2 finite numbers, one per unit, in the same order. A unit is a test
    example (pass the boolean arrays `predictions == y` of each method: the difference is then the difference of
    the accuracies) or a seed (pass each method's accuracy per seed). Returns a `Comparison` with
    difference = mean(a - b) and standard_error = std(a - b, ddof=1) / sqrt(n).

    The two-standard-error rule is a normal approximation: on examples it needs some tens of images where the two
    methods disagree (`wins + losses`). With only a handful (4 won, 0 lost) it can call a difference that a sign
    test would not; read the counts then.
    """
    a = _finite_vector("a", a)
    b = _finite_vector("b", b)
    if a.shape != b.shape:
        raise ValueError(f"a and b must pair up one to one, got {len(a)} and {len(b)} values")
    d = a - b
    return Comparison(float(d.mean()), float(d.std(ddof=1) / np.sqrt(len(d))), len(d),
                      int(np.sum(d > 0)), int(np.sum(d < 0)))


def _finite_vector(name, values):
    array = np.asarray(values) if values is not None else np.array([])
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be a sequence of numbers, got {_show(values)}")
    array = array.astype(np.float64)
    if array.ndim != 1 or len(array) < 2 or not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be a 1-D sequence of at least two finite numbers, got {_show(values)}")
    return array
