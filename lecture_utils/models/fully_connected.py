"""Fully connected networks assembled from the layers: FullyConnectedNet (the contract's) and MaxoutNet."""
import numpy as np

from .. import layers
from .._validation import as_float_array, check_choice, check_in_range, check_int, check_labels, check_positive
from ..activations import (ACTIVATION_NAMES, activation_layer, maxout_backward, maxout_forward, prelu_backward,
                           prelu_forward)
from ..init import init_weights
from ..losses import PENALTIES, softmax_loss, weight_penalty

NORMALIZATIONS = (None, "batchnorm", "layernorm")
PRELU_ALPHA0 = 0.25  # He et al. (2015) start every slope at 0.25


class FullyConnectedNet:
    """{affine - [batchnorm | layernorm] - activation - [dropout]} x L - affine - softmax.

    Inputs:
    - hidden_dims: list of L hidden layer sizes; input_dim: D (input is flattened); num_classes: C
    - activation: a name of activations.ACTIVATION_NAMES; with "prelu" the slopes alpha1..alphaL are parameters,
      starting at 0.25; init: a scheme of `init_weights` or a float std
    - reg: strength of the penalty reg * R(W) on the weight matrices (not the biases, gamma, beta or alpha)
    - penalty: R, "l2" (the default: the slide's sum(W ** 2)), "l1" or "elastic_net" (beta: the weight of its L2
      part); see losses.weight_penalty
    - keep_weights: DropConnect's keep probability for the hidden layers' weights (1.0: none)
    - normalization: None, "batchnorm" or "layernorm"; keep_prob: dropout's keep probability
      (1.0 means no dropout)
    - seed: seeds the weights and the model's own generator (for dropout masks)
    - dtype: float32 (fast) or float64 (for gradient checks)

    `params` holds W1, b1, gamma1, beta1, ..., W{L+1}, b{L+1}; `running` holds batch norm's
    RunningStats per hidden layer (None until the first training batch).
    """

    def __init__(self, hidden_dims, input_dim, num_classes, *, activation="relu", init="he",
                 normalization=None, keep_prob=1.0, reg=0.0, seed=0, dtype=np.float32, penalty="l2", beta=1.0,
                 keep_weights=1.0):
        hidden_dims = list(hidden_dims)
        for i, h in enumerate(hidden_dims):
            check_int(f"hidden_dims[{i}]", h, minimum=1)
        check_int("input_dim", input_dim, minimum=1)
        check_int("num_classes", num_classes, minimum=2)
        check_choice("activation", activation, ACTIVATION_NAMES)
        check_choice("normalization", normalization, NORMALIZATIONS)
        check_in_range("keep_prob", keep_prob, 0.0, 1.0, low_open=True)
        check_positive("reg", reg, allow_zero=True)
        check_choice("penalty", penalty, PENALTIES)
        check_positive("beta", beta, allow_zero=True)
        check_in_range("keep_weights", keep_weights, 0.0, 1.0, low_open=True)
        if np.dtype(dtype) not in (np.float32, np.float64):
            raise ValueError(f"dtype must be np.float32 or np.float64, got {dtype!r}")

        self.hidden_dims, self.num_layers = hidden_dims, len(hidden_dims) + 1
        self.activation, self.normalization = activation, normalization
        self.keep_prob, self.reg, self.dtype = keep_prob, reg, np.dtype(dtype)
        self.penalty, self.beta, self.keep_weights = penalty, beta, keep_weights
        self.rng = np.random.default_rng(seed)  # weights first, then dropout masks

        self.params = {}
        dims = [input_dim, *hidden_dims, num_classes]
        for layer, (fan_in, fan_out) in enumerate(zip(dims[:-1], dims[1:]), start=1):
            self.params[f"W{layer}"] = init_weights(fan_in, fan_out, init, self.rng).astype(self.dtype)
            self.params[f"b{layer}"] = np.zeros(fan_out, dtype=self.dtype)
            if normalization is not None and layer < self.num_layers:
                self.params[f"gamma{layer}"] = np.ones(fan_out, dtype=self.dtype)
                self.params[f"beta{layer}"] = np.zeros(fan_out, dtype=self.dtype)
            if activation == "prelu" and layer < self.num_layers:
                self.params[f"alpha{layer}"] = np.full(fan_out, PRELU_ALPHA0, dtype=self.dtype)
        self.running = {layer: None for layer in range(1, self.num_layers)}

    def forward(self, X, *, train, rng=None):
        """The scores (N, C) and the caches of every layer (for `backward`)."""
        X = as_float_array("X", X).astype(self.dtype, copy=False)
        if X.ndim < 2 or np.prod(X.shape[1:]) != self.params["W1"].shape[0]:
            raise ValueError(f"X must have shape (N, {self.params['W1'].shape[0]}) or (N, ...) "
                             f"with that many features, got {X.shape}")
        p, caches, h = self.params, [], X
        for layer in range(1, self.num_layers):
            if self.keep_weights < 1.0:  # DropConnect on the hidden layers' weights
                h, affine_cache = layers.dropconnect_forward(h, p[f"W{layer}"], p[f"b{layer}"],
                                                             keep_prob=self.keep_weights, train=train,
                                                             rng=self.rng if rng is None else rng)
            else:
                h, affine_cache = layers.affine_forward(h, p[f"W{layer}"], p[f"b{layer}"])
            norm_cache = None
            if self.normalization == "batchnorm":
                h, norm_cache, self.running[layer] = layers.batchnorm_forward(
                    h, p[f"gamma{layer}"], p[f"beta{layer}"], self.running[layer], train=train)
            elif self.normalization == "layernorm":
                h, norm_cache = layers.layernorm_forward(h, p[f"gamma{layer}"], p[f"beta{layer}"])
            if self.activation == "prelu":
                h, act_cache = prelu_forward(h, p[f"alpha{layer}"])
            else:
                h, act_cache = activation_layer(self.activation)[0](h)
            drop_cache = None
            if self.keep_prob < 1.0:
                h, drop_cache = layers.dropout_forward(
                    h, keep_prob=self.keep_prob, train=train, rng=self.rng if rng is None else rng)
            caches.append((affine_cache, norm_cache, act_cache, drop_cache))
        last = self.num_layers
        scores, affine_cache = layers.affine_forward(h, p[f"W{last}"], p[f"b{last}"])
        caches.append(affine_cache)
        return scores, caches

    def backward(self, dscores, caches):
        """Gradients of every parameter from the gradient of the scores, keyed like `params`."""
        grads = {}
        last = self.num_layers
        dh, grads[f"W{last}"], grads[f"b{last}"] = layers.affine_backward(dscores, caches[-1])
        for layer in range(self.num_layers - 1, 0, -1):
            affine_cache, norm_cache, act_cache, drop_cache = caches[layer - 1]
            if self.keep_prob < 1.0:
                dh = layers.dropout_backward(dh, drop_cache)
            if self.activation == "prelu":
                dh, grads[f"alpha{layer}"] = prelu_backward(dh, act_cache)
            else:
                dh = activation_layer(self.activation)[1](dh, act_cache)
            if self.normalization == "batchnorm":
                dh, grads[f"gamma{layer}"], grads[f"beta{layer}"] = layers.batchnorm_backward(dh, norm_cache)
            elif self.normalization == "layernorm":
                dh, grads[f"gamma{layer}"], grads[f"beta{layer}"] = layers.layernorm_backward(dh, norm_cache)
            if self.keep_weights < 1.0:
                dh, grads[f"W{layer}"], grads[f"b{layer}"] = layers.dropconnect_backward(dh, affine_cache)
            elif layer > 1:
                dh, grads[f"W{layer}"], grads[f"b{layer}"] = layers.affine_backward(dh, affine_cache)
            else:  # nobody uses the gradient with respect to the input X: skip its matrix product
                x = affine_cache[0]
                grads["W1"], grads["b1"] = x.reshape(len(x), -1).T @ dh, dh.sum(axis=0)
        return grads

    def loss(self, X, y=None, rng=None):
        """Train mode with labels y: (loss, grads). Test mode without y: the scores (N, C).

        The loss is the mean softmax cross-entropy plus reg * R(W) over the weight matrices (R: `penalty`).
        Dropout masks come from `rng` when given, else from the model's own generator.
        """
        if y is None:
            scores, _ = self.forward(X, train=False)
            return scores
        check_labels("y", y, X.shape[0], self.params[f"W{self.num_layers}"].shape[1])
        scores, caches = self.forward(X, train=True, rng=rng)
        # forward
        data_loss, dscores = softmax_loss(scores, y)
        # backward
        grads = self.backward(dscores, caches)
        weights = [f"W{layer}" for layer in range(1, self.num_layers + 1)]
        return data_loss + weight_penalty(self.params, grads, self.reg, weights, self.penalty, self.beta), grads

    def predict(self, X, batch_size=1000):
        """Predicted class labels (N,), computed in test mode in batches of batch_size."""
        scores = [self.loss(X[i:i + batch_size]) for i in range(0, X.shape[0], batch_size)]
        return np.argmax(np.concatenate(scores), axis=1)

    def hidden_outputs(self, X, *, train=False, rng=None):
        """The output of every hidden layer (after its activation), in test mode unless `train` (batch statistics;
        then batch norm's running averages are updated as in a training step): a list of L arrays (N, M_l)."""
        _, caches = self.forward(X, train=train, rng=rng)
        # hidden layer l's output is the input x of affine layer l + 1, kept in that layer's cache (x, w)
        # (wrapped as ((x, w), mask) in a DropConnect layer)
        hidden = [caches[layer][0] for layer in range(1, self.num_layers - 1)]
        if self.keep_weights < 1.0:
            hidden = [cache[0] for cache in hidden]
        return [cache[0] for cache in hidden] + [caches[-1][0]]


class MaxoutNet:
    """{maxout of `pieces` affine maps} x L - affine - softmax (Goodfellow et al., 2013).

    Each hidden layer computes max_k(h @ W[k] + b[k]): `pieces` times the weights of a ReLU layer of the
    same width. Same protocol as FullyConnectedNet: `params` holds W1 (pieces, D, M1), b1 (pieces, M1),
    ..., W{L+1} (M_L, C), b{L+1} (C,); `loss(X, y)` -> (loss, grads), `loss(X)` -> scores.
    """

    def __init__(self, hidden_dims, input_dim, num_classes, *, pieces=2, init="he", reg=0.0, seed=0,
                 dtype=np.float32):
        hidden_dims = list(hidden_dims)
        for i, h in enumerate(hidden_dims):
            check_int(f"hidden_dims[{i}]", h, minimum=1)
        check_int("input_dim", input_dim, minimum=1)
        check_int("num_classes", num_classes, minimum=2)
        check_int("pieces", pieces, minimum=1)
        check_positive("reg", reg, allow_zero=True)
        rng = np.random.default_rng(seed)
        self.num_layers, self.reg, self.dtype = len(hidden_dims) + 1, reg, np.dtype(dtype)
        dims = [input_dim, *hidden_dims, num_classes]
        self.params = {}
        for layer, (fan_in, fan_out) in enumerate(zip(dims[:-1], dims[1:]), start=1):
            if layer < self.num_layers:
                w = np.stack([init_weights(fan_in, fan_out, init, rng) for _ in range(pieces)])  # (k, D, M)
                self.params[f"W{layer}"], self.params[f"b{layer}"] = w, np.zeros((pieces, fan_out))
            else:
                self.params[f"W{layer}"] = init_weights(fan_in, fan_out, init, rng)
                self.params[f"b{layer}"] = np.zeros(fan_out)
        self.params = {k: v.astype(self.dtype) for k, v in self.params.items()}

    def loss(self, X, y=None, rng=None):
        """Train mode with labels y: (loss, grads); test mode without y: scores (N, C). rng is unused."""
        h = as_float_array("X", X).astype(self.dtype, copy=False).reshape(len(X), -1)  # (N, ...) -> (N, D)
        p, caches, last = self.params, [], self.num_layers
        for layer in range(1, last):
            h, cache = maxout_forward(h, p[f"W{layer}"], p[f"b{layer}"])
            caches.append(cache)
        scores, affine_cache = layers.affine_forward(h, p[f"W{last}"], p[f"b{last}"])
        if y is None:
            return scores
        check_labels("y", y, len(X), scores.shape[1])
        data_loss, dscores = softmax_loss(scores, y)
        grads = {}
        dh, grads[f"W{last}"], grads[f"b{last}"] = layers.affine_backward(dscores, affine_cache)
        for layer in range(last - 1, 0, -1):
            dh, grads[f"W{layer}"], grads[f"b{layer}"] = maxout_backward(dh, caches[layer - 1])
        return data_loss + weight_penalty(p, grads, self.reg, [f"W{l}" for l in range(1, last + 1)]), grads
