import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lecture_utils import layers as L
from lecture_utils.gradcheck import numerical_gradient_array, rel_error


def check_grads(forward, inputs, dout, analytic, tol=1e-6):
    """Compare each analytic gradient with a numerical one of sum(forward(*inputs) * dout)."""
    for i, grad in enumerate(analytic):
        def f(z, i=i):
            args = list(inputs)
            args[i] = z
            return forward(*args)
        assert rel_error(grad, numerical_gradient_array(f, inputs[i], dout)) < tol, f"input {i}"


def test_affine_gradient_check(rng):
    x, w, b = rng.normal(size=(4, 2, 3)), rng.normal(size=(6, 5)), rng.normal(size=5)
    dout = rng.normal(size=(4, 5))
    out, cache = L.affine_forward(x, w, b)
    np.testing.assert_allclose(out, x.reshape(4, 6) @ w + b)
    dx, dw, db = L.affine_backward(dout, cache)
    assert dx.shape == x.shape
    check_grads(lambda *a: L.affine_forward(*a)[0], [x, w, b], dout, [dx, dw, db])


def test_batchnorm_matches_pytorch(ref):
    running = L.RunningStats(ref["bn_run_mean"], ref["bn_run_var"])
    out, cache, new = L.batchnorm_forward(ref["bn_x"], ref["bn_gamma"], ref["bn_beta"], running, train=True)
    np.testing.assert_allclose(out, ref["bn_out"], rtol=1e-10, atol=1e-12)
    for got, i in zip(L.batchnorm_backward(ref["bn_dout"], cache), range(3)):
        np.testing.assert_allclose(got, ref[f"bn_grad{i}"], rtol=1e-9, atol=1e-12)
    # Convention: same running mean; the running variance averages the biased batch variance,
    # where PyTorch averages the unbiased one
    np.testing.assert_allclose(new.mean, ref["bn_torch_run_mean"], rtol=1e-12)
    n = ref["bn_x"].shape[0]
    torch_style = 0.9 * ref["bn_run_var"] + 0.1 * ref["bn_x"].var(axis=0) * n / (n - 1)
    np.testing.assert_allclose(torch_style, ref["bn_torch_run_var"], rtol=1e-12)
    assert not np.allclose(new.var, ref["bn_torch_run_var"])
    np.testing.assert_allclose(new.var, 0.9 * ref["bn_run_var"] + 0.1 * ref["bn_x"].var(axis=0), rtol=1e-12)
    # test mode with PyTorch's running statistics gives PyTorch's test output
    torch_running = L.RunningStats(ref["bn_torch_run_mean"], ref["bn_torch_run_var"])
    out, cache, same = L.batchnorm_forward(ref["bn_x"], ref["bn_gamma"], ref["bn_beta"], torch_running, train=False)
    np.testing.assert_allclose(out, ref["bn_test_out"], rtol=1e-10)
    assert cache is None and same is torch_running


def test_batchnorm_gradient_check(rng):
    x, gamma, beta, dout = rng.normal(2, 3, (8, 4)), rng.normal(size=4), rng.normal(size=4), rng.normal(size=(8, 4))
    _, cache, _ = L.batchnorm_forward(x, gamma, beta, None, train=True)
    grads = L.batchnorm_backward(dout, cache)
    check_grads(lambda *a: L.batchnorm_forward(*a, None, train=True)[0], [x, gamma, beta], dout, grads)


@settings(max_examples=50, deadline=None)
@given(st.integers(2, 64), st.integers(1, 8), st.floats(-100, 100), st.floats(0.01, 100), st.integers(0, 2**32 - 1))
def test_batchnorm_output_has_mean_0_and_variance_1(n, d, shift, scale, seed):
    x = np.random.default_rng(seed).normal(shift, scale, (n, d))
    out, _, _ = L.batchnorm_forward(x, np.ones(d), np.zeros(d), None, train=True)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-7)
    var = x.var(axis=0)
    np.testing.assert_allclose(out.var(axis=0), var / (var + 1e-5), rtol=1e-6)  # 1, up to eps


def test_batchnorm_running_stats_converge_and_test_mode_uses_them(rng):
    running = None
    for _ in range(200):
        _, _, running = L.batchnorm_forward(rng.normal(5, 2, (64, 3)), np.ones(3), np.zeros(3), running, train=True)
    np.testing.assert_allclose(running.mean, 5, atol=0.2)
    np.testing.assert_allclose(running.var, 4, rtol=0.1)
    out, _, _ = L.batchnorm_forward(rng.normal(5, 2, (5000, 3)), np.ones(3), np.zeros(3), running, train=False)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=0.1)
    np.testing.assert_allclose(out.std(axis=0), 1, atol=0.1)


def test_batchnorm_test_mode_needs_running_stats():
    with pytest.raises(ValueError, match="running is None in test mode"):
        L.batchnorm_forward(np.zeros((2, 3)), np.ones(3), np.zeros(3), None, train=False)


def test_layernorm_matches_pytorch_and_gradient_check(ref, rng):
    out, cache = L.layernorm_forward(ref["bn_x"], ref["bn_gamma"], ref["bn_beta"])
    np.testing.assert_allclose(out, ref["ln_out"], rtol=1e-10, atol=1e-12)
    for got, i in zip(L.layernorm_backward(ref["bn_dout"], cache), range(3)):
        np.testing.assert_allclose(got, ref[f"ln_grad{i}"], rtol=1e-9, atol=1e-12)
    x, gamma, beta, dout = rng.normal(size=(3, 6)), rng.normal(size=6), rng.normal(size=6), rng.normal(size=(3, 6))
    grads = L.layernorm_backward(dout, L.layernorm_forward(x, gamma, beta)[1])
    check_grads(lambda *a: L.layernorm_forward(*a)[0], [x, gamma, beta], dout, grads)


def test_dropout_gradient_check(rng):
    x, dout = rng.normal(size=(5, 6)), rng.normal(size=(5, 6))
    f = lambda z: L.dropout_forward(z, keep_prob=0.6, train=True, rng=np.random.default_rng(3))[0]  # noqa: E731
    _, cache = L.dropout_forward(x, keep_prob=0.6, train=True, rng=np.random.default_rng(3))
    assert rel_error(L.dropout_backward(dout, cache), numerical_gradient_array(f, x, dout)) < 1e-8


@settings(max_examples=30, deadline=None)
@given(st.floats(0.05, 1.0), st.integers(0, 2**32 - 1))
def test_inverted_dropout_keeps_the_mean(keep_prob, seed):
    x = np.full((200, 500), 3.0)
    out, _ = L.dropout_forward(x, keep_prob=keep_prob, train=True, rng=np.random.default_rng(seed))
    kept = np.mean(out != 0)
    assert abs(kept - keep_prob) < 5 * np.sqrt(keep_prob * (1 - keep_prob) / x.size) + 1e-12
    np.testing.assert_allclose(out[out != 0], 3.0 / keep_prob)
    # the mean is 3 up to the sampling error of the kept fraction
    assert abs(out.mean() - 3.0) < 3.0 / keep_prob * 5 * np.sqrt(keep_prob * (1 - keep_prob) / x.size) + 1e-9


def test_dropout_test_mode_is_the_identity():
    x = np.arange(6.0).reshape(2, 3)
    out, cache = L.dropout_forward(x, keep_prob=0.5, train=False, rng=None)
    assert out is x and cache is None


@pytest.mark.parametrize("keep_prob", [0.0, -0.1, 1.5, float("nan"), "0.5"])
def test_bad_keep_prob_is_named(keep_prob, rng):
    with pytest.raises(ValueError, match="keep_prob"):
        L.dropout_forward(np.ones(3), keep_prob=keep_prob, train=True, rng=rng)


def test_dropout_needs_a_generator():
    with pytest.raises(ValueError, match="rng"):
        L.dropout_forward(np.ones(3), keep_prob=0.5, train=True, rng=0)


@pytest.mark.parametrize("stride,pad", [(1, 0), (2, 1), (1, 2)])
def test_conv_matches_pytorch(ref, stride, pad):
    key = f"conv_s{stride}p{pad}"
    out, cache = L.conv_forward(ref["conv_x"], ref["conv_w"], ref["conv_b"], stride=stride, pad=pad)
    np.testing.assert_allclose(out, ref[f"{key}_out"], rtol=1e-10, atol=1e-12)
    for got, i in zip(L.conv_backward(ref[f"{key}_dout"], cache), range(3)):
        np.testing.assert_allclose(got, ref[f"{key}_grad{i}"], rtol=1e-10, atol=1e-12)


def test_conv_gradient_check(rng):
    x, w, b = rng.normal(size=(2, 2, 5, 5)), rng.normal(size=(3, 2, 3, 3)), rng.normal(size=3)
    out, cache = L.conv_forward(x, w, b, stride=2, pad=1)
    dout = rng.normal(size=out.shape)
    check_grads(lambda *a: L.conv_forward(*a, stride=2, pad=1)[0], [x, w, b], dout, L.conv_backward(dout, cache))


@pytest.mark.parametrize("size,stride", [(2, 2), (3, 2), (2, 1)])
def test_max_pool_matches_pytorch(ref, size, stride):
    key = f"pool_k{size}s{stride}"
    out, cache = L.max_pool_forward(ref["pool_x"], size=size, stride=stride)
    np.testing.assert_array_equal(out, ref[f"{key}_out"])
    np.testing.assert_allclose(L.max_pool_backward(ref[f"{key}_dout"], cache), ref[f"{key}_grad0"], rtol=1e-12)


def test_max_pool_gradient_check(rng):
    x = rng.normal(size=(2, 2, 6, 6))
    out, cache = L.max_pool_forward(x, size=3, stride=2)
    dout = rng.normal(size=out.shape)
    check_grads(lambda z: L.max_pool_forward(z, size=3, stride=2)[0], [x], dout, [L.max_pool_backward(dout, cache)])


@pytest.mark.parametrize("call,name", [
    (lambda: L.affine_forward(np.zeros((2, 3)), np.zeros((4, 5)), np.zeros(5)), "w"),
    (lambda: L.affine_forward(np.zeros((2, 3)), np.zeros((3, 5)), np.zeros(4)), "b"),
    (lambda: L.affine_forward(np.zeros((2, 3), np.uint8), np.zeros((3, 5)), np.zeros(5)), "x"),
    (lambda: L.batchnorm_forward(np.zeros((2, 3)), np.ones(2), np.zeros(3), None, train=True), "gamma"),
    (lambda: L.batchnorm_forward(np.zeros((2, 3)), np.ones(3), np.zeros(3), None, train="yes"), "train"),
    (lambda: L.batchnorm_forward(np.zeros((2, 3)), np.ones(3), np.zeros(3), None, train=True, momentum=2), "momentum"),
    (lambda: L.conv_forward(np.zeros((1, 3, 5, 5)), np.zeros((2, 2, 3, 3)), np.zeros(2)), "w"),
    (lambda: L.conv_forward(np.zeros((1, 2, 5, 5)), np.zeros((2, 2, 3, 3)), np.zeros(2), stride=0), "stride"),
    (lambda: L.max_pool_forward(np.zeros((1, 1, 4, 4)), size=0), "size"),
    (lambda: L.max_pool_forward(np.zeros((4, 4)), size=2), "x")])
def test_bad_input_is_named(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_batchnorm_graph_backward_equals_the_closed_form_and_the_numerical_gradient(rng):
    from lecture_utils.experiments.batchnorm import batchnorm_graph_backward, batchnorm_graph_forward

    x, gamma, beta, dout = rng.normal(2, 3, (9, 5)), rng.normal(size=5), rng.normal(size=5), rng.normal(size=(9, 5))
    out, cache = batchnorm_graph_forward(x, gamma, beta)
    closed_out, closed_cache, _ = L.batchnorm_forward(x, gamma, beta, None, train=True)
    np.testing.assert_allclose(out, closed_out, rtol=1e-12)
    graph = batchnorm_graph_backward(dout, cache)
    for a, b in zip(graph, L.batchnorm_backward(dout, closed_cache)):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    check_grads(lambda *a: batchnorm_graph_forward(*a)[0], [x, gamma, beta], dout, graph)


def test_loss_along_gradient_leaves_the_model_as_it_was(rng):
    from lecture_utils.experiments.batchnorm import loss_along_gradient
    from lecture_utils.models import FullyConnectedNet

    model = FullyConnectedNet([8], 5, 3, normalization="batchnorm", seed=0, dtype=np.float64)
    X, y = rng.normal(size=(16, 5)), rng.integers(0, 3, 16)
    model.loss(X, y)
    params = {k: v.copy() for k, v in model.params.items()}
    running = model.running[1]
    result = loss_along_gradient(model, X, y, [0.0, 0.1, 1.0])
    assert all(np.array_equal(params[k], model.params[k]) for k in params)
    assert model.running[1].mean is running.mean or np.array_equal(model.running[1].mean, running.mean)
    assert result["losses"][0] == pytest.approx(result["loss"]) and result["grad_changes"][0] == pytest.approx(0)
    assert result["losses"][1] < result["loss"]  # a small step downhill lowers the loss


def test_layer_input_stats_are_the_hidden_outputs_and_leave_the_running_averages(rng):
    from lecture_utils.experiments.batchnorm import layer_input_stats
    from lecture_utils.models import FullyConnectedNet

    X = rng.normal(size=(32, 6))
    plain = FullyConnectedNet([8, 7], 6, 3, seed=0, dtype=np.float64)  # no batch norm: train mode = test mode
    hidden = plain.hidden_outputs(X)
    for layer in (2, 3):
        mean, std = layer_input_stats(plain, X, layer)
        np.testing.assert_allclose(mean, hidden[layer - 2].mean(axis=0))
        np.testing.assert_allclose(std, hidden[layer - 2].std(axis=0))
    bn = FullyConnectedNet([8, 7], 6, 3, normalization="batchnorm", seed=0, dtype=np.float64)
    bn.loss(X, rng.integers(0, 3, 32))
    before = {k: (v.mean.copy(), v.var.copy()) for k, v in bn.running.items()}
    mean, std = layer_input_stats(bn, X, 2)  # relu(gamma * x_hat + beta) with gamma 1, beta 0: a half-normal
    assert mean.shape == std.shape == (8,) and np.all(mean > 0.2) and np.all(mean < 0.6)
    assert all(np.array_equal(bn.running[k].mean, m) and np.array_equal(bn.running[k].var, v)
               for k, (m, v) in before.items())
    with pytest.raises(ValueError, match="layer"):
        layer_input_stats(bn, X, 1)
    with pytest.raises(ValueError, match="layer"):
        layer_input_stats(bn, X, 4)
