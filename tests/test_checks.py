"""Every exercise check passes the correct solution and catches typical wrong ones, each with its own hint."""
import re

import numpy as np
import pytest

from lecture_utils import init, layers, losses, optim
from lecture_utils.course import checks
from lecture_utils.course.checks import ExerciseFailed


def stub(*args, **kwargs):
    raise NotImplementedError("exercise: replace this line with your code")


# ---- softmax_loss
def softmax_no_shift(scores, y):
    n = scores.shape[0]
    with np.errstate(over="ignore", invalid="ignore"):  # the overflow is the mistake under test
        probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        loss = -np.log(probs[np.arange(n), y]).mean()
    probs[np.arange(n), y] -= 1
    return loss, probs / n


def softmax_summed(scores, y):
    loss, d = losses.softmax_loss(scores, y)
    return loss * len(y), d


def softmax_grad_not_mean(scores, y):
    loss, d = losses.softmax_loss(scores, y)
    return loss, d * len(y)


def softmax_no_minus_one(scores, y):
    loss, d = losses.softmax_loss(scores, y)
    d = d * len(y)
    d[np.arange(len(y)), y] += 1
    return loss, d / len(y)


def softmax_in_place(scores, y):
    scores -= scores.max(axis=1, keepdims=True)
    return losses.softmax_loss(scores, y)


# ---- sgd_momentum
def momentum_slip(x, dx, state, *, learning_rate, rho=0.9):
    v = rho * state.get("v", 0.0) + dx
    return x + learning_rate * v, {"v": v}


def momentum_forgets(x, dx, state, *, learning_rate, rho=0.9):
    return x - learning_rate * dx, {"v": dx}


def momentum_dampened(x, dx, state, *, learning_rate, rho=0.9):
    v = rho * state.get("v", 0.0) + (1 - rho) * dx
    return x - learning_rate * v, {"v": v}


def momentum_in_place(x, dx, state, *, learning_rate, rho=0.9):
    state["v"] = rho * state.get("v", 0.0) + dx
    return x - learning_rate * state["v"], state


def momentum_other_form(x, dx, state, *, learning_rate, rho=0.9):  # correct: the learning rate inside v
    v = rho * state.get("v", 0.0) - learning_rate * dx
    return x + v, {"v": v}


# ---- adam
def adam_no_bias_correction(x, dx, state, *, learning_rate, beta1=0.9, beta2=0.999, eps=1e-7):
    m = beta1 * state.get("m", 0.0) + (1 - beta1) * dx
    v = beta2 * state.get("v", 0.0) + (1 - beta2) * dx * dx
    return x - learning_rate * m / (np.sqrt(v) + eps), {"m": m, "v": v}


def adam_t_after_use(x, dx, state, *, learning_rate, beta1=0.9, beta2=0.999, eps=1e-7):
    t = state.get("t", 0)
    m = beta1 * state.get("m", 0.0) + (1 - beta1) * dx
    v = beta2 * state.get("v", 0.0) + (1 - beta2) * dx * dx
    with np.errstate(divide="ignore", invalid="ignore"):
        step = (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    return x - learning_rate * step, {"m": m, "v": v, "t": t + 1}


def adam_t_never_saved(x, dx, state, *, learning_rate, beta1=0.9, beta2=0.999, eps=1e-7):
    t = 1
    m = beta1 * state.get("m", 0.0) + (1 - beta1) * dx
    v = beta2 * state.get("v", 0.0) + (1 - beta2) * dx * dx
    return x - learning_rate * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps), {"m": m, "v": v}


def adam_only_first_corrected(x, dx, state, *, learning_rate, beta1=0.9, beta2=0.999, eps=1e-7):
    t = state.get("t", 0) + 1
    m = beta1 * state.get("m", 0.0) + (1 - beta1) * dx
    v = beta2 * state.get("v", 0.0) + (1 - beta2) * dx * dx
    return x - learning_rate * (m / (1 - beta1**t)) / (np.sqrt(v) + eps), {"m": m, "v": v, "t": t}


# ---- dropout
def dropout_unscaled(x, *, keep_prob, train, rng):
    if not train:
        return x, None
    mask = rng.random(x.shape) < keep_prob
    return x * mask, mask


def dropout_drop_prob(x, *, keep_prob, train, rng):
    if not train:
        return x, None
    mask = (rng.random(x.shape) < 1 - keep_prob) / (1 - keep_prob)
    return x * mask, mask


def dropout_paper_test_time(x, *, keep_prob, train, rng):
    if not train:
        return x * keep_prob, None
    return layers.dropout_forward(x, keep_prob=keep_prob, train=True, rng=rng)


def dropout_no_test_return(x, *, keep_prob, train, rng):
    if train:
        return layers.dropout_forward(x, keep_prob=keep_prob, train=True, rng=rng)
    x  # a forgotten return in the test-time branch


def dropout_global_random(x, *, keep_prob, train, rng):
    if not train:
        return x, None
    mask = (np.random.random(x.shape) < keep_prob) / keep_prob
    return x * mask, mask


def dropout_binomial(x, *, keep_prob, train, rng):  # correct, with another way of drawing the mask
    if not train:
        return x, None
    mask = rng.binomial(1, keep_prob, size=x.shape) / keep_prob
    return x * mask, mask


# ---- batchnorm_backward
def bn_no_mean_terms(dout, cache):
    _, dgamma, dbeta = layers.batchnorm_backward(dout, cache)
    return dout * cache.gamma * cache.inv_std, dgamma, dbeta


def bn_no_mean_path(dout, cache):
    _, dgamma, dbeta = layers.batchnorm_backward(dout, cache)
    n, dx_hat = dout.shape[0], dout * cache.gamma
    return cache.inv_std / n * (n * dx_hat - cache.x_hat * (dx_hat * cache.x_hat).sum(axis=0)), dgamma, dbeta


def bn_forgets_gamma(dout, cache):
    dx, dgamma, dbeta = layers.batchnorm_backward(dout, cache)
    return dx / cache.gamma, dgamma, dbeta


def bn_dbeta_wrong_axis(dout, cache):
    dx, dgamma, _ = layers.batchnorm_backward(dout, cache)
    return dx, dgamma, dout.sum(axis=1)


# ---- he init
def he_fan_out(fan_in, fan_out, rng):
    return rng.normal(0, np.sqrt(2 / fan_out), (fan_in, fan_out))


def he_xavier(fan_in, fan_out, rng):
    return rng.normal(0, 1 / np.sqrt(fan_in), (fan_in, fan_out))


def he_variance(fan_in, fan_out, rng):
    return rng.normal(0, 2 / fan_in, (fan_in, fan_out))


def he_global_random(fan_in, fan_out, rng):
    return np.random.normal(0, np.sqrt(2 / fan_in), (fan_in, fan_out))


CASES = {
    # check: (correct solutions, [(wrong solution, words its hint must contain)])
    checks.check_softmax_loss: ([losses.softmax_loss], [
        (softmax_no_shift, "overflows"), (softmax_summed, "times too large: average"),
        (softmax_grad_not_mean, "divided by N too"), (softmax_no_minus_one, "needs a -1"),
        (softmax_in_place, "changed the scores")]),
    checks.check_sgd_momentum: ([optim.sgd_momentum, momentum_other_form], [
        (momentum_slip, "sign slip"), (momentum_forgets, "plain SGD"), (momentum_dampened, "(1 - rho)"),
        (momentum_in_place, "changed the x or state")]),
    checks.check_adam: ([optim.adam], [
        (adam_no_bias_correction, "forget the bias correction"), (adam_t_after_use, "Increment t before using it"),
        (adam_t_never_saved, "t never advances"), (adam_only_first_corrected, "second moment needs its bias")]),
    checks.check_dropout_forward: ([layers.dropout_forward, dropout_binomial], [
        (dropout_unscaled, "forget to divide the kept units by keep_prob"), (dropout_drop_prob, "KEEPING"),
        (dropout_paper_test_time, "test mode should return x unchanged"), (dropout_global_random, "same rng seed"),
        (dropout_no_test_return, "with train=False, `dropout_no_test_return` returned nothing (None): did you forget `return`?")]),
    checks.check_batchnorm_backward: ([layers.batchnorm_backward], [
        (bn_no_mean_terms, "treats the batch mean and variance as constants"),
        (bn_no_mean_path, "path through the batch mean"), (bn_forgets_gamma, "forgets gamma"),
        (bn_dbeta_wrong_axis, "dbeta is summed over the wrong axis")]),
    checks.check_he_init: ([lambda fi, fo, rng: init.init_weights(fi, fo, "he", rng)], [
        (he_fan_out, "fan_out"), (he_xavier, "halves the second moment"), (he_variance, "is its square root"),
        (he_global_random, "same rng seed")]),
}
PARAMS = [(check, solution) for check, (solutions, _) in CASES.items() for solution in solutions]
WRONG = [(check, wrong, words) for check, (_, wrongs) in CASES.items() for wrong, words in wrongs]


@pytest.mark.parametrize("check,solution", PARAMS, ids=lambda v: getattr(v, "__name__", "fn"))
def test_correct_solution_passes(check, solution, capsys):
    assert check(solution) is True
    assert "checks passed" in capsys.readouterr().out


@pytest.mark.parametrize("check,wrong,words", WRONG, ids=lambda v: getattr(v, "__name__", str(v)))
def test_wrong_solution_fails_with_its_own_hint(check, wrong, words):
    with pytest.raises(ExerciseFailed) as err:
        check(wrong)
    assert words in str(err.value)


@pytest.mark.parametrize("check", list(CASES), ids=lambda c: c.__name__)
def test_an_unfinished_exercise_reports_itself(check, capsys):
    assert check(stub) is False
    assert "is not done yet" in capsys.readouterr().out


def test_every_wrong_version_gets_a_different_hint():
    for check, (_, wrongs) in CASES.items():
        assert len(wrongs) >= 3, check.__name__
        hints = set()
        for wrong, _ in wrongs:
            with pytest.raises(ExerciseFailed) as err:
                check(wrong)
            hints.add(str(err.value))
        assert len(hints) == len(wrongs), check.__name__


def test_hints_do_not_print_the_expected_numbers():
    import re

    for check, (_, wrongs) in CASES.items():
        for wrong, _ in wrongs:
            with pytest.raises(ExerciseFailed) as err:
                check(wrong)
            assert not re.search(r"\d\.\d{3,}", str(err.value)), str(err.value)  # no precise values: no answers


# ---- xavier init
def xavier_fan_out(fan_in, fan_out, rng):
    return rng.normal(0, 1 / np.sqrt(fan_out), (fan_in, fan_out))


def xavier_with_he_factor(fan_in, fan_out, rng):
    return rng.normal(0, np.sqrt(2 / fan_in), (fan_in, fan_out))


def xavier_glorot(fan_in, fan_out, rng):
    return rng.normal(0, np.sqrt(2 / (fan_in + fan_out)), (fan_in, fan_out))


def xavier_variance(fan_in, fan_out, rng):
    return rng.normal(0, 1 / fan_in, (fan_in, fan_out))


CASES[checks.check_xavier_init] = ([lambda fi, fo, rng: init.init_weights(fi, fo, "xavier", rng)], [
    (xavier_fan_out, "fan_out"), (xavier_with_he_factor, "doubles the variance"), (xavier_glorot, "Glorot"),
    (xavier_variance, "is its square root")])
PARAMS.append((checks.check_xavier_init, CASES[checks.check_xavier_init][0][0]))
WRONG.extend((checks.check_xavier_init, wrong, words) for wrong, words in CASES[checks.check_xavier_init][1])


# ---- elu: a forward/backward pair
def elu_ok(x, alpha):
    return __import__("lecture_utils.activations", fromlist=["x"]).elu_forward(x, alpha)


def elu_back_ok(dout, cache):
    return __import__("lecture_utils.activations", fromlist=["x"]).elu_backward(dout, cache)


def elu_no_minus_one(x, alpha):
    out = np.where(x > 0, x, alpha * np.exp(np.minimum(x, 0)))
    return out, (x, alpha)


def elu_no_alpha(x, alpha):
    out = np.where(x > 0, x, np.expm1(np.minimum(x, 0)))
    return out, (x, alpha)


def elu_masks(x, alpha):  # right values, but exp(800) * 0 = nan
    with np.errstate(over="ignore", invalid="ignore"):
        out = (x > 0) * x + (x <= 0) * alpha * (np.exp(x) - 1)
    return out, (x, alpha)


def elu_back_masks(dout, cache):
    x, alpha = cache
    with np.errstate(over="ignore", invalid="ignore"):
        return dout * ((x > 0) + (x <= 0) * alpha * np.exp(x))


def elu_back_pair(dout, cache):  # the backward matching the forwards above that cache (x, alpha)
    x, alpha = cache
    return dout * np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0)))


def elu_back_local(dout, cache):
    x, alpha = cache
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0)))


def elu_back_relu(dout, cache):
    x, _ = cache
    return dout * (x > 0)


def elu_back_out(dout, cache):
    x, alpha = cache
    return dout * np.where(x > 0, 1.0, alpha * np.expm1(np.minimum(x, 0)))


def elu_fwd_cache_x(x, alpha):
    return elu_ok(x, alpha)[0], (x, alpha)


ELU_WRONG = [
    ((elu_no_minus_one, elu_back_pair), "approach -alpha"),
    ((elu_no_alpha, elu_back_pair), "ignores alpha"),
    ((elu_masks, elu_back_masks), "exp(800) overflows"),
    ((elu_fwd_cache_x, elu_back_local), "multiply it by dout"),
    ((elu_fwd_cache_x, elu_back_relu), "as for ReLU"),
    ((elu_fwd_cache_x, elu_back_out), "out + alpha"),
]


@pytest.mark.parametrize("pair", [(elu_ok, elu_back_ok), (elu_fwd_cache_x, elu_back_pair)])
def test_elu_check_passes_correct_pairs(pair, capsys):
    assert checks.check_elu(*pair) is True
    assert "checks passed" in capsys.readouterr().out


@pytest.mark.parametrize("pair,words", ELU_WRONG, ids=[w for _, w in ELU_WRONG])
def test_elu_check_explains_each_mistake(pair, words):
    with pytest.raises(ExerciseFailed) as err:
        checks.check_elu(*pair)
    assert words in str(err.value)


def test_elu_check_reports_an_unfinished_pair(capsys):
    assert checks.check_elu(stub, stub) is False
    assert "is not done yet" in capsys.readouterr().out


# ---- standardize
def _stats(X):
    std = X.std(axis=0)
    return X.mean(axis=0), np.where(std < 1e-8, 1.0, std)


def standardize_ok(X_train, X_test):
    mean, std = _stats(X_train)
    return (X_train - mean) / std, (X_test - mean) / std


def standardize_own_stats(X_train, X_test):
    (m1, s1), (m2, s2) = _stats(X_train), _stats(X_test)
    return (X_train - m1) / s1, (X_test - m2) / s2


def standardize_pooled(X_train, X_test):
    mean, std = _stats(np.concatenate([X_train, X_test]))
    return (X_train - mean) / std, (X_test - mean) / std


def standardize_zero_division(X_train, X_test):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (X_train - mean) / std, (X_test - mean) / std


def standardize_in_place(X_train, X_test):
    mean, std = _stats(X_train)
    X_train -= mean
    X_train /= std
    return X_train, (X_test - mean) / std


CASES[checks.check_standardize] = ([standardize_ok], [
    (standardize_own_stats, "its OWN mean"), (standardize_pooled, "train and test together"),
    (standardize_zero_division, "std 0"), (standardize_in_place, "in place")])
PARAMS.append((checks.check_standardize, standardize_ok))
WRONG.extend((checks.check_standardize, wrong, words) for wrong, words in CASES[checks.check_standardize][1])


# ---- update_ratios (notebook 05)
def _weights(params):
    return [k for k in params if k.startswith("W")]


def ratios_ok(params, updates):
    return {k: np.linalg.norm(updates[k]) / np.linalg.norm(params[k]) for k in _weights(params)}


def ratios_inverted(params, updates):
    return {k: np.linalg.norm(params[k]) / np.linalg.norm(updates[k]) for k in _weights(params)}


def ratios_squared(params, updates):
    return {k: np.sum(updates[k] ** 2) / np.sum(params[k] ** 2) for k in _weights(params)}


def ratios_elementwise(params, updates):
    return {k: np.mean(np.abs(updates[k] / params[k])) for k in _weights(params)}


def ratios_with_biases(params, updates):
    with np.errstate(divide="ignore", invalid="ignore"):
        return {k: np.linalg.norm(updates[k]) / np.linalg.norm(params[k]) for k in params}


def ratios_one_number(params, updates):
    return float(np.mean(list(ratios_ok(params, updates).values())))


def ratios_l1(params, updates):
    return {k: np.abs(updates[k]).sum() / np.abs(params[k]).sum() for k in _weights(params)}


def ratios_after_applying(params, updates):
    for k in params:
        params[k] += updates[k]
    return ratios_ok(params, updates)


CASES[checks.check_update_ratios] = ([ratios_ok], [
    (ratios_inverted, "upside down"), (ratios_squared, "squared norms"), (ratios_elementwise, "one by one"),
    (ratios_with_biases, "leave out"), (ratios_one_number, "one ratio per weight matrix"), (ratios_l1, "absolute"),
    (ratios_after_applying, "changed the parameters")])
PARAMS.append((checks.check_update_ratios, ratios_ok))
WRONG.extend((checks.check_update_ratios, wrong, words) for wrong, words in CASES[checks.check_update_ratios][1])


# ---- log_uniform (notebook 06)
def log_uniform_ok(low, high, size, rng):
    return 10 ** rng.uniform(np.log10(low), np.log10(high), size)


def log_uniform_natural(low, high, size, rng):
    return np.exp(rng.uniform(np.log(low), np.log(high), size))


def log_uniform_linear(low, high, size, rng):
    return rng.uniform(low, high, size)


def log_uniform_exponents(low, high, size, rng):
    return rng.uniform(np.log10(low), np.log10(high), size)


def log_uniform_values_as_exponents(low, high, size, rng):
    return 10 ** rng.uniform(low, high, size)


def log_uniform_mixed_bases(low, high, size, rng):
    return np.exp(rng.uniform(np.log10(low), np.log10(high), size))


def log_uniform_global_rng(low, high, size, rng):
    return 10 ** np.random.uniform(np.log10(low), np.log10(high), size)


def log_uniform_one_value(low, high, size, rng):
    return 10 ** rng.uniform(np.log10(low), np.log10(high))


CASES[checks.check_log_uniform] = ([log_uniform_ok, log_uniform_natural], [
    (log_uniform_linear, "linear space"), (log_uniform_exponents, "returned it without raising"),
    (log_uniform_values_as_exponents, "not exponents"), (log_uniform_mixed_bases, "two different bases"),
    (log_uniform_global_rng, "np.random"), (log_uniform_one_value, "shape")])
PARAMS.extend((checks.check_log_uniform, ok) for ok in CASES[checks.check_log_uniform][0])
WRONG.extend((checks.check_log_uniform, wrong, words) for wrong, words in CASES[checks.check_log_uniform][1])


# ---- nesterov (notebook 07)
def nesterov_ok(x, dx, state, *, learning_rate, rho):
    old_v = state.get("v", np.zeros_like(x))
    v = rho * old_v - learning_rate * dx
    return x - rho * old_v + (1 + rho) * v, {"v": v}


def nesterov_new_v_as_old(x, dx, state, *, learning_rate, rho):
    v = rho * state.get("v", np.zeros_like(x)) - learning_rate * dx
    return x - rho * v + (1 + rho) * v, {"v": v}


def nesterov_sign(x, dx, state, *, learning_rate, rho):
    old_v = state.get("v", np.zeros_like(x))
    v = rho * old_v + learning_rate * dx
    return x - rho * old_v + (1 + rho) * v, {"v": v}


def nesterov_forgets(x, dx, state, *, learning_rate, rho):
    return nesterov_ok(x, dx, {}, learning_rate=learning_rate, rho=rho)[0], {}


def nesterov_no_factor(x, dx, state, *, learning_rate, rho):
    old_v = state.get("v", np.zeros_like(x))
    v = rho * old_v - learning_rate * dx
    return x - rho * old_v + v, {"v": v}


def nesterov_in_place(x, dx, state, *, learning_rate, rho):
    x_next, new = nesterov_ok(x, dx, state, learning_rate=learning_rate, rho=rho)
    x[...] = x_next
    return x, new


CASES[checks.check_nesterov] = ([nesterov_ok, lambda x, dx, s, **h: optim.nesterov(x, dx, s, **h)], [
    (nesterov_new_v_as_old, "ordinary momentum"), (nesterov_sign, "uphill"), (nesterov_forgets, "carry over"),
    (nesterov_no_factor, "(1 + rho)"), (nesterov_in_place, "changed the x")])
PARAMS.extend((checks.check_nesterov, ok) for ok in CASES[checks.check_nesterov][0])
WRONG.extend((checks.check_nesterov, wrong, words) for wrong, words in CASES[checks.check_nesterov][1])


# ---- rmsprop (notebook 07)
def rmsprop_ok(x, dx, state, *, learning_rate, decay_rate=0.99):
    g = decay_rate * state.get("grad_squared", 0.0) + (1 - decay_rate) * dx * dx
    return x - learning_rate * dx / (np.sqrt(g) + 1e-7), {"grad_squared": g}


def rmsprop_adagrad(x, dx, state, *, learning_rate, decay_rate=0.99):
    g = state.get("grad_squared", 0.0) + dx * dx
    return x - learning_rate * dx / (np.sqrt(g) + 1e-7), {"grad_squared": g}


def rmsprop_swapped(x, dx, state, *, learning_rate, decay_rate=0.99):
    g = (1 - decay_rate) * state.get("grad_squared", 0.0) + decay_rate * dx * dx
    return x - learning_rate * dx / (np.sqrt(g) + 1e-7), {"grad_squared": g}


def rmsprop_no_sqrt(x, dx, state, *, learning_rate, decay_rate=0.99):
    g = decay_rate * state.get("grad_squared", 0.0) + (1 - decay_rate) * dx * dx
    return x - learning_rate * dx / (g + 1e-7), {"grad_squared": g}


def rmsprop_forgets(x, dx, state, *, learning_rate, decay_rate=0.99):
    return rmsprop_ok(x, dx, {}, learning_rate=learning_rate, decay_rate=decay_rate)[0], {}


def rmsprop_eps_inside(x, dx, state, *, learning_rate, decay_rate=0.99):
    g = decay_rate * state.get("grad_squared", 0.0) + (1 - decay_rate) * dx * dx
    return x - learning_rate * dx / np.sqrt(g + 1e-7), {"grad_squared": g}


CASES[checks.check_rmsprop] = ([rmsprop_ok], [
    (rmsprop_adagrad, "AdaGrad"), (rmsprop_swapped, "swapped"), (rmsprop_no_sqrt, "square root of grad_squared"),
    (rmsprop_forgets, "carry over"), (rmsprop_eps_inside, "not inside it")])
PARAMS.append((checks.check_rmsprop, rmsprop_ok))
WRONG.extend((checks.check_rmsprop, wrong, words) for wrong, words in CASES[checks.check_rmsprop][1])


# ---- warmup_cosine (notebook 08)
def warmup_cosine_ok(lr0, warmup_steps, total_steps):
    def lr(t):
        if t < warmup_steps:
            return lr0 * (t + 1) / warmup_steps
        if t >= total_steps:
            return 0.0
        return lr0 * (1 + np.cos(np.pi * (t - warmup_steps) / (total_steps - warmup_steps))) / 2
    return lr


def warmup_from_zero(lr0, warmup_steps, total_steps):
    ok = warmup_cosine_ok(lr0, warmup_steps, total_steps)
    return lambda t: lr0 * t / warmup_steps if t < warmup_steps else ok(t)


def warmup_cosine_over_total(lr0, warmup_steps, total_steps):
    def lr(t):
        if t < warmup_steps:
            return lr0 * (t + 1) / warmup_steps
        return lr0 * (1 + np.cos(np.pi * (t - warmup_steps) / total_steps)) / 2 if t - warmup_steps < total_steps else 0.0
    return lr


def warmup_full_cosine(lr0, warmup_steps, total_steps):
    def lr(t):
        if t < warmup_steps:
            return lr0 * (t + 1) / warmup_steps
        return lr0 * (1 + np.cos(2 * np.pi * (t - warmup_steps) / (total_steps - warmup_steps))) / 2 if t < total_steps else 0.0
    return lr


def warmup_not_shifted(lr0, warmup_steps, total_steps):
    def lr(t):
        if t < warmup_steps:
            return lr0 * (t + 1) / warmup_steps
        return lr0 * (1 + np.cos(np.pi * t / (total_steps - warmup_steps))) / 2 if t < total_steps - warmup_steps else 0.0
    return lr


def warmup_values(lr0, warmup_steps, total_steps):
    ok = warmup_cosine_ok(lr0, warmup_steps, total_steps)
    return [ok(t) for t in range(total_steps)]


CASES[checks.check_warmup_cosine] = ([warmup_cosine_ok], [
    (warmup_from_zero, "first step has learning rate 0"), (warmup_cosine_over_total, "does not reach 0"),
    (warmup_full_cosine, "HALF a cosine"), (warmup_not_shifted, "jumps down"), (warmup_values, "should be a function of t")])
PARAMS.append((checks.check_warmup_cosine, warmup_cosine_ok))
WRONG.extend((checks.check_warmup_cosine, wrong, words) for wrong, words in CASES[checks.check_warmup_cosine][1])


# ---- ensemble_predict (notebook 09)
def _softmax(scores):
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def ensemble_ok(member_scores):
    return np.argmax(_softmax(member_scores).mean(axis=0), axis=1)


def ensemble_raw_scores(member_scores):
    return np.argmax(member_scores.mean(axis=0), axis=1)


def ensemble_vote(member_scores):
    labels = np.argmax(member_scores, axis=2)
    return np.array([np.bincount(col, minlength=member_scores.shape[2]).argmax() for col in labels.T])


def ensemble_first_only(member_scores):
    return np.argmax(member_scores[0], axis=1)


def ensemble_wrong_axis(member_scores):
    return np.argmax(_softmax(member_scores).mean(axis=1), axis=1)


def ensemble_overflows(member_scores):
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(member_scores)
        return np.argmax((e / e.sum(axis=-1, keepdims=True)).mean(axis=0), axis=1)


CASES[checks.check_ensemble_predict] = ([ensemble_ok], [
    (ensemble_raw_scores, "raw scores"), (ensemble_vote, "majority vote"), (ensemble_first_only, "first member"),
    (ensemble_wrong_axis, "axis 0"), (ensemble_overflows, "subtract each row's maximum")])
PARAMS.append((checks.check_ensemble_predict, ensemble_ok))
WRONG.extend((checks.check_ensemble_predict, wrong, words) for wrong, words in CASES[checks.check_ensemble_predict][1])


# ---- l2_penalty (notebook 10)
def l2_ok(W, reg):
    return reg * np.sum(W ** 2), 2 * reg * W


def l2_half(W, reg):
    return 0.5 * reg * np.sum(W ** 2), reg * W


def l2_no_factor_two(W, reg):
    return reg * np.sum(W ** 2), reg * W


def l2_no_reg_in_grad(W, reg):
    return reg * np.sum(W ** 2), 2 * W


def l2_is_l1(W, reg):
    return reg * np.sum(np.abs(W)), reg * np.sign(W)


def l2_mean(W, reg):
    return reg * np.mean(W ** 2), 2 * reg * W


def l2_in_place(W, reg):
    W *= 1.0 - 2 * reg
    return reg * np.sum(W ** 2), 2 * reg * W


CASES[checks.check_l2_penalty] = ([l2_ok], [
    (l2_half, "no factor 1/2"), (l2_no_factor_two, "factor 2 is missing"), (l2_no_reg_in_grad, "missing reg"),
    (l2_is_l1, "L1 penalty"), (l2_mean, "instead of averaging"), (l2_in_place, "changed W"),
    (lambda W, reg: None, "returned nothing (None): did you forget `return`? It should return the pair (penalty, dW)")])
PARAMS.append((checks.check_l2_penalty, l2_ok))
WRONG.extend((checks.check_l2_penalty, wrong, words) for wrong, words in CASES[checks.check_l2_penalty][1])


# ---- ridge_classifier (notebook 11)
def ridge_ok(F_train, y_train, F_test, reg):
    mean, std = F_train.mean(0), F_train.std(0)
    A, B = (F_train - mean) / std, (F_test - mean) / std
    W = np.linalg.solve(A.T @ A + reg * np.eye(A.shape[1]), A.T @ (np.eye(5)[y_train] - 0.2))
    return np.argmax(B @ W, axis=1)


def ridge_own_stats(F_train, y_train, F_test, reg):
    mean, std = F_train.mean(0), F_train.std(0)
    A, B = (F_train - mean) / std, (F_test - F_test.mean(0)) / F_test.std(0)
    W = np.linalg.solve(A.T @ A + reg * np.eye(A.shape[1]), A.T @ (np.eye(5)[y_train] - 0.2))
    return np.argmax(B @ W, axis=1)


def ridge_unstandardised(F_train, y_train, F_test, reg):
    mean = F_train.mean(0)
    A, B = F_train - mean, F_test - mean
    W = np.linalg.solve(A.T @ A + reg * np.eye(A.shape[1]), A.T @ (np.eye(5)[y_train] - 0.2))
    return np.argmax(B @ W, axis=1)


def ridge_on_labels(F_train, y_train, F_test, reg):
    mean, std = F_train.mean(0), F_train.std(0)
    A, B = (F_train - mean) / std, (F_test - mean) / std
    w = np.linalg.solve(A.T @ A + reg * np.eye(A.shape[1]), A.T @ y_train)
    return np.clip(np.round(B @ w), 0, 4).astype(int)


CASES[checks.check_ridge_classifier] = ([ridge_ok], [
    (ridge_own_stats, "OWN mean"), (ridge_unstandardised, "not standardised"), (ridge_on_labels, "one-hot targets")])
PARAMS.append((checks.check_ridge_classifier, ridge_ok))
WRONG.extend((checks.check_ridge_classifier, wrong, words) for wrong, words in CASES[checks.check_ridge_classifier][1])


# ---- wrong kinds of answers: every check says what came back and what was expected, in one sentence
def _first_array(values):
    """Index of the first value that is an array or a number (not a dict, cache or function)."""
    for i, v in enumerate(values):
        if isinstance(v, (np.ndarray, float, int, np.generic)):
            return i
    return None


def _wrong_shape(v):
    v = np.asarray(v)
    return np.full(3, v.item()) if v.ndim == 0 else v[:-1]


def _wrong_dtype(v):
    v = np.asarray(v)
    if v.ndim == 0:
        return str(v.item())
    return v.astype(float) if v.dtype.kind in "iu" else v.astype(np.int64)


def _mutate(kind, result):
    """A wrong kind of result made from a correct one."""
    if kind == "none":
        return None
    if kind == "string":
        return "done"
    if kind == "strings":
        return ["a", "b"]
    if callable(result):  # a schedule: its values go wrong instead
        return lambda t: _mutate(kind, result(t))
    single = not isinstance(result, tuple)
    values = [result] if single else list(result)
    if kind == "count":
        return (result, result) if single else (tuple(values[:1]) if len(values) > 2 else values[0])
    if isinstance(values[0], dict):  # update_ratios: a dict of numbers
        first = sorted(values[0])[0]
        return {**values[0], first: "big" if kind == "dtype" else np.ones(3)}
    index = _first_array(values)
    values[index] = _wrong_shape(values[index]) if kind == "shape" else _wrong_dtype(values[index])
    return values[0] if single else tuple(values)


WRONG_KINDS = {  # kind: what its sentence must say (a regular expression)
    "none": r"returned nothing \(None\): did you forget `return`\?", "string": r"a string \('", "strings": r"string|a list of 2 items|returned 2 values",
    "count": r"returned (a tuple of 2 values|one number|an array of shape|\d values?)", "shape": r"shape|one number",
    "dtype": r"values, but should hold|a string \('"}


def _wrongly(solution, kind):
    def wrong(*args, **kwargs):
        return _mutate(kind, solution(*args, **kwargs))
    return wrong


@pytest.mark.parametrize("kind", sorted(WRONG_KINDS))
@pytest.mark.parametrize("check", list(CASES), ids=lambda c: c.__name__)
def test_a_wrong_kind_of_answer_gets_one_sentence(check, kind):
    solution = CASES[check][0][0]
    with pytest.raises(ExerciseFailed) as err:
        check(_wrongly(solution, kind))
    message = str(err.value)
    assert re.search(WRONG_KINDS[kind], message) and "relative error" not in message, message
    assert message.count(". ") <= 1 and len(message) < 250, message  # one sentence, not a report


@pytest.mark.parametrize("kind", sorted(WRONG_KINDS))
@pytest.mark.parametrize("side", ["forward", "backward"])
def test_a_wrong_kind_of_answer_in_the_elu_pair_gets_one_sentence(side, kind):
    pair = [elu_ok, elu_back_ok]
    pair[side == "backward"] = _wrongly(pair[side == "backward"], kind)
    with pytest.raises(ExerciseFailed) as err:
        checks.check_elu(*pair)
    assert re.search(WRONG_KINDS[kind], str(err.value)) and "relative error" not in str(err.value), str(err.value)


@pytest.mark.parametrize("check", list(CASES) + [lambda fn: checks.check_elu(fn, elu_back_ok)],
                         ids=lambda c: getattr(c, "__name__", "check_elu"))
def test_an_error_in_the_learners_code_keeps_its_own_traceback(check):
    def mistake(*args, **kwargs):
        return 1 / 0  # the learner's line

    with pytest.raises(ZeroDivisionError) as err:
        check(mistake)
    assert err.traceback[-1].name == "mistake"


@pytest.mark.parametrize("check", list(CASES), ids=lambda c: c.__name__)
def test_passing_something_else_than_a_function_is_named(check):
    with pytest.raises(TypeError, match=r"fn must be your function itself.*got nothing \(None\)"):
        check(None)


# ---- the slips issue 19 lists, each with its own hint
def softmax_global_max(scores, y):
    shifted = scores - scores.max()  # the whole array's maximum, not each row's
    n = len(y)
    with np.errstate(divide="ignore", invalid="ignore"):
        probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
        loss = -np.log(probs[np.arange(n), y]).mean()
    d = probs.copy()
    d[np.arange(n), y] -= 1
    return loss, d / n


def standardize_plus_eps(X_train, X_test):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    return (X_train - mean) / (std + 1e-8), (X_test - mean) / (std + 1e-8)


def standardize_no_axis(X_train, X_test):
    mean, std = X_train.mean(), X_train.std()
    return (X_train - mean) / std, (X_test - mean) / std


def standardize_centre_only(X_train, X_test):
    mean = X_train.mean(axis=0)
    return X_train - mean, X_test - mean


def bn_no_one_over_n(dout, cache):
    dx, dgamma, dbeta = layers.batchnorm_backward(dout, cache)
    return dx * dout.shape[0], dgamma, dbeta


def bn_means_in_dx(dout, cache):
    _, dgamma, dbeta = layers.batchnorm_backward(dout, cache)
    n, dx_hat = dout.shape[0], dout * cache.gamma
    return (cache.inv_std / n * (n * dx_hat - dx_hat.mean(axis=0) - cache.x_hat * (dx_hat * cache.x_hat).mean(axis=0)),
            dgamma, dbeta)


def bn_mean_dbeta(dout, cache):
    dx, dgamma, _ = layers.batchnorm_backward(dout, cache)
    return dx, dgamma, dout.mean(axis=0)


def adam_keeps_corrected(x, dx, state, *, learning_rate, beta1=0.9, beta2=0.999, eps=1e-7):
    t = state.get("t", 0) + 1
    m = beta1 * state.get("m", 0.0) + (1 - beta1) * dx
    v = beta2 * state.get("v", 0.0) + (1 - beta2) * dx * dx
    m, v = m / (1 - beta1 ** t), v / (1 - beta2 ** t)  # stored back: the slip
    return x - learning_rate * m / (np.sqrt(v) + eps), {"m": m, "v": v, "t": t}


def rmsprop_no_one_minus(x, dx, state, *, learning_rate, decay_rate=0.99):
    g = decay_rate * state.get("grad_squared", 0.0) + dx * dx
    return x - learning_rate * dx / (np.sqrt(g) + 1e-7), {"grad_squared": g}


def warmup_over_total_clamped(lr0, warmup_steps, total_steps):
    def lr(t):
        if t < warmup_steps:
            return lr0 * (t + 1) / warmup_steps
        if t >= total_steps:
            return 0.0
        return lr0 * (1 + np.cos(np.pi * (t - warmup_steps) / total_steps)) / 2
    return lr


def warmup_off_by_one(lr0, warmup_steps, total_steps):
    def lr(t):
        if t < warmup_steps:
            return lr0 * (t + 1) / warmup_steps
        if t >= total_steps:
            return 0.0
        return lr0 * (1 + np.cos(np.pi * (t - warmup_steps + 1) / (total_steps - warmup_steps))) / 2
    return lr


def ridge_without_reg(F_train, y_train, F_test, reg):
    return ridge_ok(F_train, y_train, F_test, 0.0)


def elu_back_no_alpha(dout, cache):
    x, alpha = cache
    return dout * np.where(x > 0, 1.0, np.exp(np.minimum(x, 0)))


def ratios_after_update(params, updates):
    return {k: np.linalg.norm(updates[k]) / np.linalg.norm(params[k] + updates[k]) for k in params if k[0] == "W"}


def ensemble_log_probs(member_scores):
    shifted = member_scores - member_scores.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return np.argmax(log_probs.mean(axis=0), axis=1)


def leaky_ok(fan_in, fan_out, slope, rng):
    return rng.normal(0, np.sqrt(2 / ((1 + slope ** 2) * fan_in)), (fan_in, fan_out))


def leaky_ignores_slope(fan_in, fan_out, slope, rng):
    return rng.normal(0, np.sqrt(2 / fan_in), (fan_in, fan_out))


def leaky_slope_not_squared(fan_in, fan_out, slope, rng):
    return rng.normal(0, np.sqrt(2 / ((1 + slope) * fan_in)), (fan_in, fan_out))


def leaky_half_of_it(fan_in, fan_out, slope, rng):  # none of the typical slips: the general hint
    return rng.normal(0, np.sqrt(1 / ((1 + slope ** 2) * fan_in)), (fan_in, fan_out))


def leaky_global_random(fan_in, fan_out, slope, rng):
    return np.random.normal(0, np.sqrt(2 / ((1 + slope ** 2) * fan_in)), (fan_in, fan_out))


CASES[checks.check_leaky_relu_init] = ([leaky_ok, lambda fi, fo, slope, rng: init.init_weights(
    fi, fo, __import__("lecture_utils.experiments.propagation", fromlist=["x"]).matched_init("leaky_relu", slope, fi), rng)], [
    (leaky_ignores_slope, "ignores the slope"), (leaky_slope_not_squared, "enters the algebra squared"),
    (leaky_half_of_it, "multiplies the second moment of its input by 0.50"), (leaky_global_random, "same rng seed")])
PARAMS.extend((checks.check_leaky_relu_init, solution) for solution in CASES[checks.check_leaky_relu_init][0])
WRONG.extend((checks.check_leaky_relu_init, wrong, words) for wrong, words in CASES[checks.check_leaky_relu_init][1])

ISSUE_19_SLIPS = [
    (checks.check_softmax_loss, softmax_global_max, "Each row needs its own shift"),
    (checks.check_standardize, standardize_plus_eps, "0.5 / (0 + 1e-8)"),
    (checks.check_standardize, standardize_no_axis, "axis=0"),
    (checks.check_standardize, standardize_centre_only, "centred but not scaled"),
    (checks.check_batchnorm_backward, bn_no_one_over_n, "dx is N = 10 times too large"),
    (checks.check_batchnorm_backward, bn_means_in_dx, "N = 10 times too small: they collect"),
    (checks.check_batchnorm_backward, bn_mean_dbeta, "dbeta is N = 10 times too small"),
    (checks.check_adam, adam_keeps_corrected, "keeps the bias-corrected moments"),
    (checks.check_rmsprop, rmsprop_no_one_minus, "enters at full weight"),
    (checks.check_warmup_cosine, warmup_over_total_clamped, "spans those"),
    (checks.check_warmup_cosine, warmup_off_by_one, "one step off"),
    (checks.check_ridge_classifier, ridge_without_reg, "plain least squares"),
    (lambda fn: checks.check_elu(elu_fwd_cache_x, fn), elu_back_no_alpha, "right for alpha = 1 only"),
    (checks.check_update_ratios, ratios_after_update, "after the update"),
    (checks.check_ensemble_predict, ensemble_log_probs, "log-probabilities"),
]
for check, wrong, words in ISSUE_19_SLIPS:
    # two slips share a hint on purpose: warmup_cosine_over_total's (the same span) and ensemble_raw_scores' (the same
    # labels: log-softmax subtracts one number per member and example)
    if check in CASES and wrong not in (warmup_over_total_clamped, ensemble_log_probs):
        CASES[check][1].append((wrong, words))
        WRONG.append((check, wrong, words))


@pytest.mark.parametrize("check,wrong,words", ISSUE_19_SLIPS, ids=[w.__name__ for _, w, _ in ISSUE_19_SLIPS])
def test_each_common_slip_gets_its_own_hint(check, wrong, words):
    with pytest.raises(ExerciseFailed) as err:
        check(wrong)
    assert words in str(err.value), str(err.value)
    assert "relative error" not in str(err.value)


def test_the_warmup_cosine_check_names_the_first_step_that_differs():
    with pytest.raises(ExerciseFailed) as err:
        checks.check_warmup_cosine(warmup_off_by_one)
    assert "your rate first differs at t = 10:" in str(err.value)  # warmup_steps = 10: the cosine's first step
    with pytest.raises(ExerciseFailed) as err:
        checks.check_warmup_cosine(warmup_from_zero)
    assert "first differs at t = 0:" in str(err.value)


def test_the_generic_hint_reads_as_a_sentence():
    def ratios_off(params, updates):
        return {k: 1.1 * np.linalg.norm(updates[k]) / np.linalg.norm(params[k]) for k in params if k[0] == "W"}

    with pytest.raises(ExerciseFailed, match="the ratio for at least one weight matrix is off"):
        checks.check_update_ratios(ratios_off)
