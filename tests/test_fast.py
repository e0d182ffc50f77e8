"""The fast paths agree with the readable ones: the flat convolution to rounding, dropout masks bit for bit; and train()
uses the readable update rules."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lecture_utils import _fast_conv, conv, optim, training
from lecture_utils._fast_masks import uniform_below
from lecture_utils._fast_memory import keep_freed_memory
from lecture_utils.gradcheck import numerical_gradient_array, rel_error
from lecture_utils.models import FullyConnectedNet
from lecture_utils.training import train

def test_train_steps_with_the_update_rules_of_optim_and_leaves_the_callers_arrays_alone(monkeypatch):
    """No twin of the rules: train() calls optim's function for every trained parameter at every step."""
    rng = np.random.default_rng(3)
    data = {"X_train": rng.normal(size=(120, 6)).astype(np.float32), "y_train": rng.integers(0, 3, 120),
            "X_val": rng.normal(size=(30, 6)).astype(np.float32), "y_val": rng.integers(0, 3, 30)}
    calls = []

    def spy(x, dx, state, **hyper):
        calls.append(x.shape)
        return optim.adam(x, dx, state, **hyper)
    monkeypatch.setitem(optim.RULES, "adam", spy)
    model = FullyConnectedNet([8], 6, 3, normalization="batchnorm", keep_prob=0.8, seed=0)
    held = {k: v.copy() for k, v in model.params.items()}
    before = dict(model.params)
    train(model, data, rng=np.random.default_rng(0), rule="adam", learning_rate=0.01, epochs=2, batch_size=20,
          restore_best=False, frozen=["b2"])
    trained = [k for k in model.params if k != "b2"]
    assert len(calls) == 2 * 6 * len(trained)  # 2 epochs of 6 steps, every trained parameter
    for k, v in before.items():  # the arrays the model had before training are left as they were
        np.testing.assert_array_equal(v, held[k])
    np.testing.assert_array_equal(model.params["b2"], held["b2"])  # frozen
    assert not np.array_equal(model.params["W1"], held["W1"])


def test_minibatch_order_is_one_permutation_per_pass(rng):
    order = training.minibatch_order(10, 3, 7, np.random.default_rng(5))
    assert order.shape == (7, 3)
    again = np.random.default_rng(5)
    passes = [again.permutation(10)[:9] for _ in range(3)]  # 3 minibatches per pass, the 10th example left over
    np.testing.assert_array_equal(order.ravel(), np.concatenate(passes)[:21])
    for k in range(2):  # within a pass, no example twice
        assert len(set(order[3 * k:3 * k + 3].ravel())) == 9


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
    assert isinstance(cache, _fast_conv.FlatConvCache) and out.flags.c_contiguous
    np.testing.assert_allclose(out, ref_out, rtol=1e-12, atol=1e-12)
    dout = rng.normal(size=out.shape)
    for got, want in zip(conv.conv_backward(dout, cache), conv.conv_backward_windows(dout, ref_cache)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_flat_conv_in_chunks_agrees(monkeypatch, rng):
    monkeypatch.setattr(_fast_conv, "_CHUNK_BYTES", 20_000)  # a few images per chunk
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


def test_keep_freed_memory_reports_whether_it_applied(monkeypatch):
    import sys

    assert keep_freed_memory() is sys.platform.startswith("linux")  # glibc here (and on every Linux CI)
    monkeypatch.setenv("LECTURE_UTILS_MALLOC", "default")
    assert keep_freed_memory() is False  # the opt-out leaves glibc's defaults


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
    ours, numpys = np.random.default_rng(3), np.random.default_rng(3)
    for shape in [(5,), (4, 3), (7,), (1,), (64, 33), (3, 3, 3), (2,), (0,)]:  # odd sizes leave half a word
        np.testing.assert_array_equal(uniform_below(ours, shape, dtype, p), numpys.random(shape, dtype=dtype) < dtype(p))
    assert ours.random(3).tolist() == numpys.random(3).tolist()  # the generators carry on in step


def test_uniform_below_with_another_bit_generator_uses_rng_random():
    ours, numpys = np.random.Generator(np.random.Philox(1)), np.random.Generator(np.random.Philox(1))
    np.testing.assert_array_equal(uniform_below(ours, (9,), np.float32, 0.5), numpys.random(9, dtype=np.float32) < 0.5)
