"""Convolutional networks from the package's conv layers: notebook 10's ConvNet and notebook 11's SourceNet."""
import math

import numpy as np

from .. import layers
from .._validation import as_float_array, check_choice, check_int, check_labels, check_positive
from ..conv import fractional_max_pool_backward, fractional_max_pool_forward
from ..init import init_weights
from ..losses import softmax_loss, weight_penalty

SOURCE_STAGES = ("conv1", "conv2", "fc")  # where SourceNet.features can stop


class ConvNet:
    """conv 3x3 (filters, pad 1) - ReLU - pool - affine - softmax on (N, 1, 28, 28) images (or (N, 784) rows).

    pool: "max" (2x2, stride 2) or "fractional" (ratio sqrt(2), a new random placement each training pass; at
    test time the scores are averaged over `test_draws` placements from a fixed generator). Same protocol as
    FullyConnectedNet: loss(X, y, rng=...) -> (loss, grads) in training, loss(X) -> scores at test time.
    """

    def __init__(self, *, filters=8, pool="max", reg=0.0, test_draws=4, seed=0, size=28):
        check_int("filters", filters, minimum=1)
        check_int("test_draws", test_draws, minimum=1)
        if pool not in ("max", "fractional"):
            raise ValueError(f"pool must be 'max' or 'fractional', got {pool!r}")
        check_positive("reg", reg, allow_zero=True)
        self.pool, self.reg, self.test_draws, self.size, self.num_layers = pool, reg, test_draws, size, 2
        self.rng = np.random.default_rng(seed)
        pooled = size // 2 if pool == "max" else int((size - 1) // math.sqrt(2))
        self.params = {
            "W1": (init_weights(9, filters, "he", self.rng).T.reshape(filters, 1, 3, 3)).astype(np.float32),
            "b1": np.zeros(filters, np.float32),
            "W2": init_weights(filters * pooled * pooled, 10, "he", self.rng).astype(np.float32),
            "b2": np.zeros(10, np.float32),
        }

    def _forward(self, X, pool_rng):
        X = as_float_array("X", X).astype(np.float32, copy=False).reshape(len(X), 1, self.size, self.size)
        h, conv_cache = layers.conv_forward(X, self.params["W1"], self.params["b1"], pad=1)
        h, relu_mask = np.maximum(h, 0), h > 0
        if self.pool == "max":
            h, pool_cache = layers.max_pool_forward(h, size=2, stride=2)
        else:
            h, pool_cache = fractional_max_pool_forward(h, rng=pool_rng)
        scores, affine_cache = layers.affine_forward(h, self.params["W2"], self.params["b2"])
        return scores, (conv_cache, relu_mask, pool_cache, affine_cache)

    def loss(self, X, y=None, rng=None):
        if y is None:
            if self.pool == "max":
                return self._forward(X, None)[0]
            draws = np.random.default_rng(12345)  # the same placements every time: a deterministic test mode
            return np.mean([self._forward(X, draws)[0] for _ in range(self.test_draws)], axis=0)
        check_labels("y", y, len(X), 10)
        scores, (conv_cache, relu_mask, pool_cache, affine_cache) = self._forward(X, rng if rng is not None
                                                                                  else self.rng)
        loss, dscores = softmax_loss(scores, y)
        grads = {}
        dh, grads["W2"], grads["b2"] = layers.affine_backward(dscores, affine_cache)
        if self.pool == "max":
            dh = layers.max_pool_backward(dh, pool_cache)
        else:
            dh = fractional_max_pool_backward(dh, pool_cache)
        _, grads["W1"], grads["b1"] = layers.conv_backward(dh * relu_mask, conv_cache)
        return loss + weight_penalty(self.params, grads, self.reg, ("W1", "W2")), grads


class SourceNet:
    """conv 3x3 (16) - ReLU - max pool 2 - conv 3x3 (32) - ReLU - max pool 2 - affine (128) - ReLU - affine (C).

    Parameter names by stage: conv1 (W1, b1), conv2 (W2, b2), fc (W3, b3), classifier (W4, b4). Inputs are
    (N, 784) or (N, 1, 28, 28) images, centred like the course data. `features(X, stage)` returns the activations
    after "conv1" (N, 16 * 14 * 14), "conv2" (N, 32 * 7 * 7) or "fc" (N, 128), in test mode.
    `channels` (conv1, conv2) and `hidden` (fc) change the widths (benchmarks/full_data.py trains a wider one).
    """

    def __init__(self, num_classes=5, *, channels=(16, 32), hidden=128, reg=0.0, seed=0):
        check_int("num_classes", num_classes, minimum=2)
        if not isinstance(channels, (tuple, list)) or len(channels) != 2:
            raise ValueError(f"channels must be two widths (conv1, conv2), got {channels!r}")
        c1, c2 = channels
        check_int("channels[0]", c1, minimum=1)
        check_int("channels[1]", c2, minimum=1)
        check_int("hidden", hidden, minimum=1)
        rng = np.random.default_rng(seed)
        self.reg, self.num_layers, self.channels = reg, 4, (c1, c2)
        self.params = {
            "W1": init_weights(9, c1, "he", rng).T.reshape(c1, 1, 3, 3), "b1": np.zeros(c1),
            "W2": init_weights(9 * c1, c2, "he", rng).T.reshape(c2, c1, 3, 3), "b2": np.zeros(c2),
            "W3": init_weights(c2 * 7 * 7, hidden, "he", rng), "b3": np.zeros(hidden),
            "W4": init_weights(hidden, num_classes, "he", rng), "b4": np.zeros(num_classes),
        }
        self.params = {k: v.astype(np.float32) for k, v in self.params.items()}

    def _forward(self, X, stop=None):
        p = self.params
        x = as_float_array("X", X).astype(np.float32, copy=False).reshape(len(X), 1, 28, 28)
        caches, h = {}, x
        for i in (1, 2):  # two blocks: conv 3x3 (pad 1) - ReLU - max pool 2x2
            h, caches[f"conv{i}"] = layers.conv_forward(h, p[f"W{i}"], p[f"b{i}"], pad=1)
            caches[f"relu{i}"] = h > 0
            h, caches[f"pool{i}"] = layers.max_pool_forward(h * caches[f"relu{i}"])
            caches[f"out_conv{i}"] = h
            if stop == f"conv{i}":
                return h.reshape(len(h), -1), caches
        h, caches["fc"] = layers.affine_forward(h, p["W3"], p["b3"])
        caches["relu3"] = h > 0
        h = h * caches["relu3"]
        if stop == "fc":
            return h, caches
        scores, caches["out"] = layers.affine_forward(h, p["W4"], p["b4"])
        return scores, caches

    def features(self, X, stage="fc", batch_size=500):
        """Test-mode activations after `stage` ("conv1", "conv2" or "fc"), flattened: (N, D)."""
        check_choice("stage", stage, SOURCE_STAGES)
        return np.concatenate([self._forward(X[i:i + batch_size], stage)[0] for i in range(0, len(X), batch_size)])

    def loss(self, X, y=None, rng=None):
        if y is None:
            return self._forward(X)[0]
        check_labels("y", y, len(X), self.params["W4"].shape[1])
        scores, c = self._forward(X)
        loss, dscores = softmax_loss(scores, y)
        g = {}
        dh, g["W4"], g["b4"] = layers.affine_backward(dscores, c["out"])
        dh, g["W3"], g["b3"] = layers.affine_backward(dh * c["relu3"], c["fc"])
        dh = layers.max_pool_backward(dh.reshape(len(X), self.channels[1], 7, 7), c["pool2"]) * c["relu2"]
        dh, g["W2"], g["b2"] = layers.conv_backward(dh, c["conv2"])
        dh = layers.max_pool_backward(dh, c["pool1"]) * c["relu1"]
        _, g["W1"], g["b1"] = layers.conv_backward(dh, c["conv1"])
        return loss + weight_penalty(self.params, g, self.reg, ("W1", "W2", "W3", "W4")), g
