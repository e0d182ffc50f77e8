"""The fast paths agree with the readable ones: in-place update rules bitwise, the flat convolution to rounding."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lecture_utils import conv, fast, optim, training
from lecture_utils._memory import keep_freed_memory
from lecture_utils.gradcheck import numerical_gradient_array, rel_error
from lecture_utils.models import FullyConnectedNet
from lecture_utils.training import train

HYPER = {
    "sgd": dict(learning_rate=0.1),
    "sgd_momentum": dict(learning_rate=0.05, rho=0.8),
    "nesterov": dict(learning_rate=0.05, rho=0.8),
    "adagrad": dict(learning_rate=0.5, eps=1e-6),
    "rmsprop": dict(learning_rate=0.01, decay_rate=0.9),
    "adam": dict(learning_rate=0.1, beta1=0.8, beta2=0.99),
    "adamw": dict(learning_rate=0.1, weight_decay=0.1),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(optim.RULES))
def test_inplace_rule_is_bitwise_the_pure_rule(name, dtype, rng):
    x = rng.normal(size=(5, 7)).astype(dtype)
    x_fast, state, state_fast = x.copy(), {}, {}
    for _ in range(6):
        dx = rng.normal(size=x.shape).astype(dtype)
        x, state = optim.RULES[name](x, dx, state, **HYPER[name])
        fast.INPLACE_RULES[name](x_fast, dx, state_fast, **HYPER[name])
        np.testing.assert_array_equal(x_fast, x)
        assert x_fast.dtype == dtype
    for key, value in state.items():  # the documented state too (the fast one adds scratch buffers "_tmp...")
        np.testing.assert_array_equal(state_fast[key], value)


def test_every_rule_has_an_inplace_twin():
    assert set(fast.INPLACE_RULES) == set(optim.RULES)
    for name, rule in optim.RULES.items():
        assert fast.inplace_twin(rule) is fast.INPLACE_RULES[name]
    assert fast.inplace_twin(lambda x, dx, state, learning_rate: (x, state)) is None


@pytest.mark.parametrize("name,bad", [("learning_rate", -1.0), ("rho", 1.5)])
def test_inplace_rules_check_their_arguments(name, bad, rng):
    x = rng.normal(size=3)
    hyper = {"learning_rate": 0.1, "rho": 0.9, name: bad}
    with pytest.raises(ValueError, match=name):
        fast.sgd_momentum_(x, x.copy(), {}, **hyper)


def test_fused_adam_is_adam(rng):
    params = {"W": rng.normal(size=(4, 3)), "b": rng.normal(size=3)}
    pure, states = {k: v.copy() for k, v in params.items()}, {k: {} for k in params}
    optimizer = fast.FusedAdam(params, learning_rate=0.01)
    for _ in range(3):
        grads = {k: rng.normal(size=v.shape) for k, v in params.items()}
        optimizer.step(grads)
        for k in pure:
            pure[k], states[k] = optim.adam(pure[k], grads[k], states[k], learning_rate=0.01)
            np.testing.assert_array_equal(params[k], pure[k])


@pytest.mark.parametrize("rule,hyper", [("adam", None), ("sgd_momentum", {"rho": 0.5}), ("rmsprop", None)])
def test_train_with_inplace_rules_gives_the_pure_rules_result(rule, hyper, monkeypatch):
    rng = np.random.default_rng(3)
    data = {"X_train": rng.normal(size=(120, 6)).astype(np.float32), "y_train": rng.integers(0, 3, 120),
            "X_val": rng.normal(size=(30, 6)).astype(np.float32), "y_val": rng.integers(0, 3, 30)}

    def run():
        model = FullyConnectedNet([8], 6, 3, normalization="batchnorm", keep_prob=0.8, seed=0)
        held = {k: v.copy() for k, v in model.params.items()}
        before = dict(model.params)
        history = train(model, data, rng=np.random.default_rng(0), rule=rule, learning_rate=0.01, hyper=hyper,
                        epochs=2, batch_size=20, progress=False, restore_best=False, frozen=["b2"])
        for k, v in before.items():  # the arrays the model had before training are left as they were
            np.testing.assert_array_equal(v, held[k])
        return model.params, history.loss

    fast_params, fast_loss = run()
    monkeypatch.setattr(fast, "_TWINS", {})  # no twins: train() falls back to the pure rules
    monkeypatch.setattr(training, "inplace_twin", fast.inplace_twin)
    pure_params, pure_loss = run()
    assert fast_loss == pure_loss
    for k in pure_params:
        np.testing.assert_array_equal(fast_params[k], pure_params[k])


def test_step_hooks_see_the_update_of_each_step():
    rng = np.random.default_rng(0)
    data = {"X_train": rng.normal(size=(40, 4)), "y_train": rng.integers(0, 2, 40),
            "X_val": rng.normal(size=(10, 4)), "y_val": rng.integers(0, 2, 10)}
    model, seen = FullyConnectedNet([5], 4, 2, seed=0), []
    last = {k: v.copy() for k, v in model.params.items()}

    def hook(info):
        for k, update in info.updates.items():
            np.testing.assert_allclose(update, info.params[k] - last[k], atol=1e-7)
            last[k] = info.params[k].copy()
        seen.append(info.t)
    train(model, data, rng=rng, rule="sgd", learning_rate=0.1, epochs=1, batch_size=10, progress=False,
          callbacks=[hook], frozen=["b1"])
    assert seen == [0, 1, 2, 3]


# ----- convolution: the flat fast path against the readable window version -----

@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 3), c=st.integers(1, 3), f=st.integers(1, 4), h=st.integers(1, 7), w=st.integers(1, 7),
       kh=st.integers(1, 4), kw=st.integers(1, 4), pad=st.integers(0, 3), seed=st.integers(0, 2**16))
def test_flat_conv_agrees_with_the_window_conv(n, c, f, h, w, kh, kw, pad, seed):
    if h + 2 * pad < kh or w + 2 * pad < kw:
        return
    rng = np.random.default_rng(seed)
    x, wt, b = rng.normal(size=(n, c, h, w)), rng.normal(size=(f, c, kh, kw)), rng.normal(size=f)
    out, cache = conv.conv_forward(x, wt, b, pad=pad)
    ref_out, ref_cache = conv.conv_forward_windows(x, wt, b, pad=pad)
    assert isinstance(cache, conv.FlatConvCache) and out.flags.c_contiguous
    np.testing.assert_allclose(out, ref_out, rtol=1e-12, atol=1e-12)
    dout = rng.normal(size=out.shape)
    for got, want in zip(conv.conv_backward(dout, cache), conv.conv_backward_windows(dout, ref_cache)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_flat_conv_in_chunks_agrees(monkeypatch, rng):
    monkeypatch.setattr(conv, "_CHUNK_BYTES", 20_000)  # a few images per chunk
    x, wt, b = rng.normal(size=(11, 3, 8, 8)), rng.normal(size=(4, 3, 3, 3)), rng.normal(size=4)
    out, cache = conv.conv_forward(x, wt, b, pad=1)
    assert cache.cols is None  # more than one chunk: the backward pass recomputes the columns
    ref_out, ref_cache = conv.conv_forward_windows(x, wt, b, pad=1)
    np.testing.assert_allclose(out, ref_out, rtol=1e-12, atol=1e-12)
    dout = rng.normal(size=out.shape)
    for got, want in zip(conv.conv_backward(dout, cache), conv.conv_backward_windows(dout, ref_cache)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_flat_conv_gradient_check(rng):
    x, wt, b = rng.normal(size=(2, 2, 4, 5)), rng.normal(size=(3, 2, 3, 3)), rng.normal(size=3)
    out, cache = conv.conv_forward(x, wt, b, pad=1)
    dout = rng.normal(size=out.shape)
    inputs = [x, wt, b]
    for i, analytic in enumerate(conv.conv_backward(dout, cache)):
        def forward(z, i=i):
            return conv.conv_forward(*[z if j == i else a for j, a in enumerate(inputs)], pad=1)[0]
        assert rel_error(analytic, numerical_gradient_array(forward, inputs[i], dout)) < 1e-7, f"input {i}"


def test_flat_conv_keeps_float32(rng):
    x = rng.normal(size=(2, 3, 6, 6)).astype(np.float32)
    wt, b = rng.normal(size=(4, 3, 3, 3)).astype(np.float32), np.zeros(4, np.float32)
    out, cache = conv.conv_forward(x, wt, b, pad=1)
    assert out.dtype == np.float32
    assert all(g.dtype == np.float32 for g in conv.conv_backward(np.ones_like(out), cache))


def test_keep_freed_memory_reports_whether_it_applied():
    assert keep_freed_memory() in (True, False)


@pytest.mark.parametrize("count", [1, 2, 4, 9, 130])
def test_max_and_first_argmax_are_max_and_argmax(count, rng):
    stacked = rng.integers(0, 3, size=(count, 5, 6)).astype(np.float32)  # many ties
    out = conv.elementwise_max(list(stacked))
    np.testing.assert_array_equal(out, stacked.max(axis=0))
    np.testing.assert_array_equal(conv.first_argmax(list(stacked), out), stacked.argmax(axis=0))


def test_max_pool_is_the_window_version(rng):
    x = rng.integers(0, 4, size=(2, 3, 9, 9)).astype(np.float64)  # ties everywhere
    for size, stride in ((2, 2), (3, 2), (3, 3), (2, 1)):
        out, cache = conv.max_pool_forward(x, size=size, stride=stride)
        flat = conv._windows(x, size, size, stride).reshape(*out.shape, size * size)  # a copy: one window per row
        np.testing.assert_array_equal(out, flat.max(axis=-1))
        dout = rng.normal(size=out.shape)
        expected = np.zeros_like(x)  # each window's gradient to its first maximum, window by window
        for idx in np.ndindex(out.shape):
            i, j = divmod(int(flat[idx].argmax()), size)
            expected[idx[0], idx[1], idx[2] * stride + i, idx[3] * stride + j] += dout[idx]
        np.testing.assert_allclose(conv.max_pool_backward(dout, cache), expected, rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("p", [0.5, 0.8, 0.1, 1e-9, 0.999999])
def test_uniform_below_is_rng_random_below_bit_for_bit(dtype, p):
    from lecture_utils.layers import _uniform_below

    ours, numpys = np.random.default_rng(3), np.random.default_rng(3)
    for shape in [(5,), (4, 3), (7,), (1,), (64, 33), (3, 3, 3), (2,), (0,)]:  # odd sizes leave half a word
        np.testing.assert_array_equal(_uniform_below(ours, shape, dtype, p), numpys.random(shape, dtype=dtype) < dtype(p))
    assert ours.random(3).tolist() == numpys.random(3).tolist()  # the generators carry on in step


def test_uniform_below_with_another_bit_generator_uses_rng_random():
    from lecture_utils.layers import _uniform_below

    ours, numpys = np.random.Generator(np.random.Philox(1)), np.random.Generator(np.random.Philox(1))
    np.testing.assert_array_equal(_uniform_below(ours, (9,), np.float32, 0.5), numpys.random(9, dtype=np.float32) < 0.5)
