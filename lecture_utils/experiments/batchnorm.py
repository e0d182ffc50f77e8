"""Batch normalization taken apart: Algorithm 1 node by node, its backward through the graph, and probes
of what it does to training (the running averages, and the loss landscape along the gradient).

The layer itself, with its closed-form backward, is lecture_utils.layers.batchnorm_forward / _backward.
"""
import copy
from typing import NamedTuple

import numpy as np

from .._validation import as_float_array, check_in_range, check_int, check_positive
from ..layers import batchnorm_forward


class GraphCache(NamedTuple):
    """Every node of Algorithm 1's forward pass, kept for the backward pass through the graph."""

    x_mu: np.ndarray  # (N, D) x - mu
    var: np.ndarray  # (D,) mini-batch variance
    std: np.ndarray  # (D,) sqrt(var + eps)
    inv_std: np.ndarray  # (D,) 1 / std
    x_hat: np.ndarray  # (N, D) normalised
    gamma: np.ndarray  # (D,)


def batchnorm_graph_forward(x, gamma, beta, eps=1e-5):
    """Algorithm 1 of Ioffe and Szegedy (2015), one node per line (train mode, no running averages).

    Inputs: x (N, D); gamma, beta (D,). Returns: (out (N, D), GraphCache).
    """
    x = as_float_array("x", x, ndim=2)
    check_positive("eps", eps)
    mu = x.mean(axis=0)  # mini-batch mean, (D,)
    x_mu = x - mu  # (N, D)
    var = (x_mu**2).mean(axis=0)  # mini-batch variance (biased, as in the paper), (D,)
    std = np.sqrt(var + eps)
    inv_std = 1.0 / std
    x_hat = x_mu * inv_std  # normalise
    out = gamma * x_hat + beta  # scale and shift
    return out, GraphCache(x_mu, var, std, inv_std, x_hat, gamma)


def batchnorm_graph_backward(dout, cache):
    """Backpropagate through the nodes of batchnorm_graph_forward in reverse order.

    Returns: (dx (N, D), dgamma (D,), dbeta (D,)). It must equal layers.batchnorm_backward's closed form.
    """
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)  # out = gamma * x_hat + beta
    dgamma = (dout * cache.x_hat).sum(axis=0)
    dx_hat = dout * cache.gamma
    dinv_std = (dx_hat * cache.x_mu).sum(axis=0)  # x_hat = x_mu * inv_std: inv_std is shared by the column
    dx_mu = dx_hat * cache.inv_std
    dstd = -dinv_std / cache.std**2  # inv_std = 1 / std
    dvar = dstd * 0.5 / cache.std  # std = sqrt(var + eps)
    dx_mu += 2 * cache.x_mu * dvar / n  # var = mean(x_mu ** 2): the second path into x_mu
    dx = dx_mu - dx_mu.sum(axis=0) / n  # x_mu = x - mean(x): every x_i also moves the mean
    return dx, dgamma, dbeta


def loss_along_gradient(model, X, y, step_sizes):
    """The loss and the gradient's change when stepping from the current parameters along -gradient.

    For each step size s: loss(params - s * g) and ||grad(params - s * g) - g||, on the batch (X, y), in
    train mode (batch statistics, as during training). The model's parameters and running averages are
    left as they were. Santurkar et al. (2018) measure these "loss landscape" and "gradient
    predictiveness" quantities along the training trajectory.
    Returns: dict with "losses" and "grad_changes" (arrays of len(step_sizes)) and "grad_norm".
    """
    params, running = model.params, copy.deepcopy(getattr(model, "running", None))
    loss0, grads = model.loss(X, y, rng=np.random.default_rng(0))
    g_norm = np.sqrt(sum(float(np.sum(g.astype(np.float64) ** 2)) for g in grads.values()))
    losses, changes = [], []
    try:
        for step in step_sizes:
            model.params = {k: p - step * grads[k] for k, p in params.items()}
            loss, moved = model.loss(X, y, rng=np.random.default_rng(0))
            losses.append(loss)
            changes.append(np.sqrt(sum(float(np.sum((moved[k] - grads[k]).astype(np.float64) ** 2)) for k in grads)))
    finally:
        model.params = params
        if running is not None:
            model.running = running
    return {"loss": loss0, "losses": np.array(losses), "grad_changes": np.array(changes), "grad_norm": g_norm}


def layer_input_stats(model, X, layer):
    """The per-unit mean and std of what affine layer `layer` receives (the output of hidden layer layer - 1).

    Computed on the batch X in train mode, as the layer sees it during training (batch statistics in the
    batch-norm layers); the model's running averages are left as they were. Tracking these along
    training measures the simplest form of "internal covariate shift" (Ioffe and Szegedy, 2015): the
    change of a layer's input distribution as the layers before it learn.
    Inputs: X (N, D); layer: 2 .. model.num_layers. Returns: (mean (M,), std (M,)) over the N examples.
    """
    check_int("layer", layer, minimum=2)
    if layer > model.num_layers:
        raise ValueError(f"layer must be between 2 and {model.num_layers}, got {layer!r}")
    running = copy.deepcopy(getattr(model, "running", None))
    try:
        hidden = model.hidden_outputs(X, train=True, rng=np.random.default_rng(0))[layer - 2]  # (N, M)
    finally:
        if running is not None:
            model.running = running
    return hidden.mean(axis=0), hidden.std(axis=0)


def running_average_demo(momentum=0.9, batch_size=32, log10_init=-1.0, *, seed=0, steps=60, width=64, eps=1e-5):
    """What notebook 04's panel shows: one batch-norm layer fed minibatches of a fixed Gaussian data set.

    Unit-Gaussian inputs (2000, 32) are multiplied by weights of std 10 ** log10_init, so the
    pre-activations have a spread set by the init scale; batch norm normalises each minibatch, and its
    running averages (weighted by `momentum`, starting from zeros) track the data set's true mean and
    variance. Where a unit's variance is not far above eps, the normalised output's std is
    sqrt(var / (var + eps)) < 1: eps, there to avoid dividing by zero, then decides the scale.
    Returns: dict with per step "batch_mean", "running_mean" (of unit 0), the true mean and variance of unit
    0, every unit's true variance "unit_var" (width,), the final "running" statistics, the test-mode
    outputs' largest |mean| "test_mean" and std per unit "test_std" (width,), and the arguments.
    """

    check_in_range("momentum", momentum, 0.0, 1.0, high_open=True)
    check_int("batch_size", batch_size, minimum=2)
    if not -4 <= log10_init <= 1:
        raise ValueError(f"log10_init must be between -4 and 1, got {log10_init!r}")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2000, 32)) + 1.0  # inputs with a non-zero mean
    H = X @ (10.0**log10_init * rng.standard_normal((32, width)))  # pre-activations, (2000, width)
    gamma, beta, running = np.ones(width), np.zeros(width), None
    batch_means, running_means = [], []
    for _ in range(steps):
        batch = H[rng.choice(len(H), size=batch_size, replace=False)]
        _, _, running = batchnorm_forward(batch, gamma, beta, running, train=True, momentum=momentum, eps=eps)
        batch_means.append(batch[:, 0].mean())
        running_means.append(running.mean[0])
    test_out, _, _ = batchnorm_forward(H, gamma, beta, running, train=False, eps=eps)
    return {"batch_mean": np.array(batch_means), "running_mean": np.array(running_means),
            "true_mean": float(H[:, 0].mean()), "true_var": float(H[:, 0].var()), "unit_var": H.var(axis=0),
            "running": running, "eps": eps, "log10_init": log10_init,
            "test_mean": float(np.abs(test_out.mean(axis=0)).max()), "test_std": test_out.std(axis=0),
            "momentum": momentum, "batch_size": batch_size}
