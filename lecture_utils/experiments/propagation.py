"""What happens to activations and gradients through a deep stack of layers: the lecture's init experiment.

`propagate` sends unit-Gaussian data forward through `depth` layers h = f(h @ W) and a unit-Gaussian
gradient back down, and reports per-layer statistics and histograms. The panels of notebooks 01 and
02 draw what these pure functions return.
"""
import numpy as np

from .._i18n import _
from .._validation import check_choice, check_int
from ..activations import ACTIVATION_NAMES, ALPHA_DEFAULTS, activation_layer  # noqa: F401 (ACTIVATION_NAMES: the panels')
from ..init import init_weights

DEFAULT_INIT = {"sigmoid": "xavier", "tanh": "xavier"}  # every other activation: "he"
BINS = 40


def _histogram(values):
    """np.histogram(values, BINS) over the values' range, widened when all values (nearly) coincide.

    With a safe scale the bin of each value comes from one multiply in the values' own dtype and the counts from
    one bincount: four times faster than np.histogram in float64 (it was a third of the init panel's time). A value
    within rounding of a bin edge may land in the neighbouring bin, which no figure can show."""
    lo, hi = float(values.min()), float(values.max())
    if hi - lo <= 1e-9 * max(abs(lo), abs(hi)) or hi - lo < 1e-280:
        center, half = (lo + hi) / 2, max(abs(lo + hi) * 1e-6, 1e-280)
        return np.histogram(values.astype(np.float64), bins=BINS, range=(center - half, center + half))
    edges = np.linspace(lo, hi, BINS + 1)
    kind = values.dtype.type
    with np.errstate(over="ignore"):
        scale = kind(BINS / (hi - lo))  # inf when it overflows the dtype: checked below
    if not np.isfinite(scale) or scale == 0:  # a range too narrow or wide for the values' dtype
        return np.histogram(values.astype(np.float64), bins=edges)
    index = ((values - kind(lo)) * scale).astype(np.intp).ravel()
    np.clip(index, 0, BINS - 1, out=index)  # the maximum belongs to the last bin, as in np.histogram
    return np.bincount(index, minlength=BINS), edges


def activation_curve(activation, alpha=None, *, lo=-5.0, hi=5.0, num=401):
    """f and f' of an activation on a grid: dict with "x", "f", "df" (each (num,))."""
    forward, backward = activation_layer(activation, alpha)
    x = np.linspace(lo, hi, num)
    f, cache = forward(x)
    return {"x": x, "f": f, "df": backward(np.ones_like(x), cache)}


def propagate(activation="tanh", init="xavier", *, depth=10, width=500, num_samples=1000, alpha=None, seed=0,
              keep=False):
    """Forward unit-Gaussian data through `depth` layers h = f(h @ W), then a unit-Gaussian gradient back.

    Inputs:
    - activation: a name of ACTIVATION_NAMES; alpha: its slope or scale (leaky_relu, prelu, elu)
    - init: a scheme of init_weights ("xavier", "he", "glorot") or a float std; every W is (width, width),
      there are no biases (the lecture's set-up)
    - keep: also return the activations themselves ("activations", a list of (num_samples, width))
    Returns: dict with, per layer 1..depth (arrays of length `layers`, the layers computed):
    - "act_mean", "act_std": of the layer's output; "act_zero": fraction exactly 0 (ReLU);
      "act_blocked": fraction of units whose f' < 1e-3, which pass almost no gradient back (a saturated
      sigmoid or tanh, or ReLU's negative side)
    - "grad_std": std of the gradient arriving at the layer's output; "weight_grad_std": of dL/dW
    - "act_hist", "grad_hist": per layer (counts, edges) with BINS bins
    - "overflow": None, or a message naming the layer whose activations overflowed (later layers are left out)
    """
    forward, backward = activation_layer(activation, alpha)
    for name, value, low in (("depth", depth, 1), ("width", width, 1), ("num_samples", num_samples, 2)):
        check_int(name, value, minimum=low)
    rng = np.random.default_rng(seed)
    h = rng.standard_normal((num_samples, width), dtype=np.float32)  # float32: fast, and range enough
    weights, inputs, caches, outs, overflow = [], [], [], [], None
    with np.errstate(over="ignore", invalid="ignore"):
        for layer in range(1, depth + 1):
            w = init_weights(width, width, init, rng).astype(np.float32)
            out, cache = forward(h @ w)
            if not np.all(np.isfinite(out)):
                overflow = _("the activations overflow at layer {layer}: the weights are far too large", layer=layer)
                break
            weights.append(w)
            inputs.append(h)
            caches.append(cache)
            outs.append(out)
            h = out
        grads, weight_grad_std = [None] * len(outs), [0.0] * len(outs)
        dh = rng.standard_normal((num_samples, width), dtype=np.float32)  # the gradient arriving from above
        for i in reversed(range(len(outs))):
            grads[i] = dh
            dz = backward(dh, caches[i])
            weight_grad_std[i] = float(np.std(inputs[i].T @ dz, dtype=np.float64))
            dh = dz @ weights[i].T
    result = {
        "activation": activation, "init": init, "depth": depth, "layers": len(outs), "overflow": overflow,
        "act_mean": np.array([o.mean(dtype=np.float64) for o in outs]),
        "act_std": np.array([o.std(dtype=np.float64) for o in outs]),
        "act_zero": np.array([np.mean(o == 0) for o in outs]),
        "act_blocked": np.array([np.mean(backward(np.ones_like(o), c) < 1e-3) for o, c in zip(outs, caches)]),
        "grad_std": np.array([g.std(dtype=np.float64) for g in grads]), "weight_grad_std": np.array(weight_grad_std),
        "act_hist": [_histogram(o) for o in outs], "grad_hist": [_histogram(g) for g in grads],
    }
    if keep:
        result["activations"] = outs
    return result


def matched_init(activation, alpha, fan_in):
    """The init that keeps the spread of `activation` through depth: a scheme name or a float std.

    Xavier for sigmoid and tanh; for leaky_relu and prelu He's rule for a negative slope alpha,
    std = sqrt(2 / ((1 + alpha ** 2) * fan_in)) (He et al., 2015, eq. 15: alpha = 0 is He, alpha = 1 is the
    identity's 1 / sqrt(fan_in)); He for the rest (for ELU it is the usual choice, not an exact match)."""
    if activation in DEFAULT_INIT:
        return DEFAULT_INIT[activation]
    if activation in ("leaky_relu", "prelu"):
        alpha = ALPHA_DEFAULTS.get(activation) if alpha is None else alpha
        return float(np.sqrt(2.0 / ((1.0 + alpha ** 2) * fan_in)))
    return "he"


def activation_profile(activation="relu", alpha=None, *, seed=0, depth=6, width=256, num_samples=500):
    """What the activation panel of notebook 01 shows: f and f', and propagate() with the init matched to the
    activation and its alpha (`matched_init`: Xavier for sigmoid and tanh, He's rule for alpha for leaky_relu and
    prelu, He for the rest)."""
    curve = activation_curve(activation, alpha)  # checks the name and alpha
    return {"curve": curve,
            "propagation": propagate(activation, matched_init(activation, alpha, width), depth=depth, width=width,
                                     num_samples=num_samples, alpha=alpha, seed=seed)}


INIT_CHOICES = ("std", "xavier", "he")


def init_profile(init="std", log10_std=-2.0, *, activation="tanh", depth=10, width=256, num_samples=500, seed=0):
    """What the initialisation panel of notebook 02 shows: propagate() with init "xavier", "he", or
    "std", a fixed standard deviation of 10 ** log10_std (the lecture's 0.01 is log10_std = -2)."""
    check_choice("init", init, INIT_CHOICES)
    if not -4 <= log10_std <= 1:
        raise ValueError(f"log10_std must be between -4 and 1, got {log10_std!r}")
    scheme = 10.0 ** log10_std if init == "std" else init
    return propagate(activation, scheme, depth=depth, width=width, num_samples=num_samples, seed=seed)
