"""A residual network whose blocks can be dropped at random in training: stochastic depth (Huang et al. 2016)."""
import math

import numpy as np

from .. import layers
from .._validation import as_float_array, check_in_range, check_int, check_labels, check_positive
from ..init import init_weights
from ..losses import softmax_loss, weight_penalty


class ResidualNet:
    """affine - ReLU, then `blocks` residual blocks h <- h + g * f(h), f(h) = affine(ReLU(affine(h))), then
    affine - softmax. With stochastic depth, block l (1..L) survives each training minibatch with probability
    p_l = 1 - l / L * (1 - survival_last) (g = 1) or is skipped (g = 0, the identity); at test time every block
    runs, scaled by p_l (its expected contribution). survival_last = 1 is an ordinary residual network.
    """

    def __init__(self, input_dim, hidden, blocks, *, survival_last=0.5, reg=0.0, seed=0):
        for name, value in (("input_dim", input_dim), ("hidden", hidden), ("blocks", blocks)):
            check_int(name, value, minimum=1)
        check_in_range("survival_last", survival_last, 0.0, 1.0, low_open=True)
        check_positive("reg", reg, allow_zero=True)
        self.blocks, self.reg, self.rng = blocks, reg, np.random.default_rng(seed)
        self.survival = np.array([1 - (l / blocks) * (1 - survival_last) for l in range(1, blocks + 1)])
        p = {"W0": init_weights(input_dim, hidden, "he", self.rng), "b0": np.zeros(hidden)}
        for l in range(1, blocks + 1):
            p[f"Wa{l}"], p[f"ba{l}"] = init_weights(hidden, hidden, "he", self.rng), np.zeros(hidden)
            p[f"Wb{l}"], p[f"bb{l}"] = init_weights(hidden, hidden, 0.1 / math.sqrt(hidden), self.rng), np.zeros(hidden)
        p["Wout"], p["bout"] = init_weights(hidden, 10, "he", self.rng), np.zeros(10)
        self.params = {k: v.astype(np.float32) for k, v in p.items()}

    def _forward(self, X, gates):
        p = self.params
        X = as_float_array("X", X).astype(np.float32, copy=False).reshape(len(X), -1)
        h, cache0 = layers.affine_forward(X, p["W0"], p["b0"])
        relu0 = h > 0
        h = h * relu0
        caches = []
        for l, g in enumerate(gates, start=1):
            if g == 0:
                caches.append(None)
                continue
            a, cache_a = layers.affine_forward(h, p[f"Wa{l}"], p[f"ba{l}"])
            mask = a > 0
            f, cache_b = layers.affine_forward(a * mask, p[f"Wb{l}"], p[f"bb{l}"])
            h = h + g * f
            caches.append((g, cache_a, mask, cache_b))
        scores, cache_out = layers.affine_forward(h, p["Wout"], p["bout"])
        return scores, (cache0, relu0, caches, cache_out)

    def loss(self, X, y=None, rng=None):
        if y is None:
            return self._forward(X, self.survival)[0]  # test time: every block, scaled by its survival
        check_labels("y", y, len(X), 10)
        rng = self.rng if rng is None else rng
        gates = (rng.random(self.blocks) < self.survival).astype(np.float32)
        scores, (cache0, relu0, caches, cache_out) = self._forward(X, gates)
        loss, dscores = softmax_loss(scores, y)
        grads = {f"{k}{l}": np.zeros_like(self.params[f"{k}{l}"]) for l in range(1, self.blocks + 1)
                 for k in ("Wa", "ba", "Wb", "bb")}  # a skipped block gets a zero gradient
        dh, grads["Wout"], grads["bout"] = layers.affine_backward(dscores, cache_out)
        for l in range(self.blocks, 0, -1):
            if caches[l - 1] is None:
                continue
            g, cache_a, mask, cache_b = caches[l - 1]
            df, grads[f"Wb{l}"], grads[f"bb{l}"] = layers.affine_backward(g * dh, cache_b)
            da, grads[f"Wa{l}"], grads[f"ba{l}"] = layers.affine_backward(df * mask, cache_a)
            dh = dh + da  # the identity path plus the block's path
        _, grads["W0"], grads["b0"] = layers.affine_backward(dh * relu0, cache0)
        weights = ["W0", *[f"W{k}{l}" for l in range(1, self.blocks + 1) for k in "ab"], "Wout"]
        return loss + weight_penalty(self.params, grads, self.reg, weights), grads
