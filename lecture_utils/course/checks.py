"""Checks for the notebooks' exercises: they say what is wrong in a sentence, never what the answer is.

Each `check_<exercise>(fn)` runs the learner's function against the package's reference on
several inputs and edge cases. It returns True when everything agrees, returns False (with a
note) while the exercise is still the NotImplementedError stub, and raises ExerciseFailed with a
hint otherwise. Before any number is compared, what the function returned is checked for its kind
(`_returns.expect`: nothing, a string, the wrong number of values, shape or dtype each get their own
sentence); then the hints come from comparing the learner's numbers with typical wrong versions.
An exception raised in the learner's own code is not caught, so its traceback shows their line.
"""
import numpy as np

from ..experiments import ensembles, monitoring, transfer

from .. import init, layers, losses, optim, schedules
from ..activations import elu_backward, elu_forward
from ..preprocessing import fit_standardizer, standardize
from ..gradcheck import rel_error
from .._i18n import N_, _
from ._returns import ExerciseFailed, Out, expect, like


def _close(a, b, rtol=1e-6, atol=1e-9):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.all(np.isfinite(a))) and np.allclose(a, b, rtol=rtol, atol=atol)


def _run(name, reference, body):
    """Run one exercise's checks: True if they pass, False while it is still a stub."""
    try:
        count = body()
    except NotImplementedError:
        print(_("Exercise {name!r} is not done yet. The rest of the notebook uses the reference {reference}, so you "
                "can come back to it later.", name=name, reference=reference))
        return False
    print(_("Exercise {name!r}: all {count} checks passed.", name=name, count=count))
    return True


def _fail_unless(ok, hint):
    if not ok:
        raise ExerciseFailed(hint)


def _diagnose(got, expected, suspects, what):
    """Raise ExerciseFailed: the hint of the first wrong version `got` matches, else a general one."""
    for hint, wrong in suspects:
        if _close(got, wrong, rtol=1e-4, atol=1e-7):
            raise ExerciseFailed(hint)
    got, expected = np.asarray(got, dtype=np.float64), np.asarray(expected)
    if got.shape != expected.shape:
        raise ExerciseFailed(_("{what} has shape {got_shape}, but should have shape {expected_shape}.",
                               what=what, got_shape=got.shape, expected_shape=expected.shape))
    if not np.all(np.isfinite(got)):
        raise ExerciseFailed(_("{what} contains NaN or inf values on an ordinary input.", what=what))
    raise ExerciseFailed(_("{what} is off (relative error {error:.1e}); compare each line of your code "
                           "with the formula in the text.", what=what, error=rel_error(got, expected)))


def check_softmax_loss(fn):
    """fn(scores (N, C), y (N,)) -> (loss, dscores), the mean softmax cross-entropy and its gradient."""
    fn = expect(fn, Out("loss", "number", noun=N_("one number (the mean over the examples)")),
                Out("dscores", "floats", like(0, "scores")), check="check_softmax_loss")

    def body():
        rng = np.random.default_rng(0)
        count = 0
        for n, c, scale in [(5, 4, 1.0), (1, 10, 3.0), (8, 3, 0.1)]:
            scores, y = rng.normal(scale=scale, size=(n, c)), rng.integers(0, c, n)
            before = scores.copy()
            loss, dscores = fn(scores, y)
            _fail_unless(np.array_equal(scores, before), _("your function changed the scores array it was given; work"
                                                           " on a copy (e.g. shifted = scores - ...)."))
            ref_loss, ref_d = losses.softmax_loss(scores, y)
            probs = ref_d * n
            probs[np.arange(n), y] += 1  # the softmax probabilities
            if not _close(loss, ref_loss):
                _diagnose(loss, ref_loss, [
                    (_("the loss is {n} times too large: average over the N = {n} examples instead of summing.", n=n),
                     ref_loss * n),
                    (_("the loss has the wrong sign: it is minus the log-probability of the correct class."),
                     -ref_loss),
                ], _("the loss"))
            if not _close(dscores, ref_d):
                _diagnose(dscores, ref_d, [
                    (_("dscores is {n} times too large: the loss is a mean over N examples, so its gradient is "
                       "divided by N too.", n=n), ref_d * n),
                    (_("dscores is the softmax probabilities divided by N; the correct class also needs a -1 (the "
                       "derivative of -log p_y)."), probs / n),
                    (_("dscores has the wrong sign."), -ref_d),
                ], "dscores")
            count += 2
        huge = np.array([[1000.0, 999.0, -1000.0], [-800.0, 0.0, 800.0]])
        loss, dscores = fn(huge, np.array([0, 2]))
        _fail_unless(np.isfinite(loss) and np.all(np.isfinite(dscores)),
                     _("the loss is not finite for scores around 1000: exp(1000) overflows. Subtracting each row's "
                       "maximum score before the exp changes nothing mathematically and keeps exp in range."))
        _fail_unless(_close(loss, losses.softmax_loss(huge, np.array([0, 2]))[0]),
                     _("the loss for large scores (around 1000) is off, while small scores work: check the shift by "
                       "the row maximum, which must be the same for every entry of a row."))
        apart = np.array([[3.0, 1.0, 0.5], [-2000.0, -2001.0, -2003.0]])  # one row far below the other
        with np.errstate(all="ignore"):
            loss, dscores = fn(apart, np.array([0, 1]))
        _fail_unless(np.isfinite(loss) and np.all(np.isfinite(dscores)),
                     _("the loss is NaN when one row's scores sit far below another row's (around -2000 against 3): a"
                       " shift by the largest score of the whole array leaves that row at -2000, where exp gives 0 "
                       "for every class. Each row needs its own shift."))
        _fail_unless(_close(loss, losses.softmax_loss(apart, np.array([0, 1]))[0]),
                     _("the loss is off when one row's scores sit far below another row's: each row needs its own "
                       "shift, by its own maximum."))
        return count + 3

    return _run("softmax_loss", "lecture_utils.losses.softmax_loss", body)


def _trajectory(rule, steps, **hyper):
    """x after each of `steps` updates on the parabola f(x) = sum(a * x**2 / 2 + b * x)."""
    a, b = np.array([1.0, 4.0, 0.5]), np.array([0.5, -1.0, 0.2])
    x, state, path = np.array([1.0, -2.0, 3.0]), {}, []
    for _unused in range(steps):
        x, state = rule(x, a * x + b, state, **hyper)
        path.append(x)
    return np.array(path)


def check_sgd_momentum(fn):
    """fn(x, dx, state, *, learning_rate, rho) -> (x_next, state): SGD with momentum."""
    fn = expect(fn, Out("x_next", "floats", like(0, "x")), Out("state", "dict"), check="check_sgd_momentum")

    def body():
        x, dx = np.array([1.0, -2.0]), np.array([0.5, 0.5])
        state = {}
        x1, state1 = fn(x, dx, state, learning_rate=0.1, rho=0.9)
        _fail_unless(np.array_equal(x, [1.0, -2.0]) and state == {},
                     _("your rule changed the x or state it was given; return new ones instead."))
        x2, _unused = fn(x1, dx, state1, learning_rate=0.1, rho=0.9)
        _fail_unless(state1 is not None and not (isinstance(state1, dict) and not state1),
                     _("the returned state is empty: keep the velocity in it, e.g. state['v'], for the next step."))
        got, expected = _trajectory(fn, 20, learning_rate=0.05, rho=0.9), _trajectory(optim.sgd_momentum, 20,
                                                                                  learning_rate=0.05, rho=0.9)
        if not _close(got, expected):
            slip = _trajectory(lambda x, dx, s, **h: (lambda x_next, s2: (2 * x - x_next, s2))(
                *optim.sgd_momentum(x, dx, s, **h)), 20, learning_rate=0.05, rho=0.9)
            _diagnose(got, expected, [
                (_("x moves uphill: that is the slide's sign slip `x += learning_rate * vx`. The velocity accumulates"
                   " gradients, so the step must subtract it."), slip),
                (_("the steps are those of plain SGD: the velocity must carry over between calls (read it from state,"
                   " update it, return it)."), _trajectory(optim.sgd, 20, learning_rate=0.05)),
                (_("the steps are about 10x too small at first: the slide's velocity is rho * v + dx, without a (1 - "
                   "rho) factor on dx."), _trajectory(lambda x, dx, s, **h: optim.sgd_momentum(
                     x, (1 - h["rho"]) * dx, s, **h), 20, learning_rate=0.05, rho=0.9)),
            ], _("x after 20 steps"))
        return 4

    return _run("sgd_momentum", "lecture_utils.optim.sgd_momentum", body)


def check_adam(fn):
    """fn(x, dx, state, *, learning_rate, beta1, beta2, eps) -> (x_next, state): Adam."""
    fn = expect(fn, Out("x_next", "floats", like(0, "x")), Out("state", "dict"), check="check_adam")

    def body():
        hyper = dict(learning_rate=1e-2, beta1=0.9, beta2=0.999, eps=1e-7)
        x, dx = np.array([1.0, -1.0, 0.5]), np.array([0.3, -2.0, 1e-3])
        x1, state = fn(x, dx, {}, **hyper)
        _fail_unless(np.all(np.isfinite(x1)),
                     _("the first step is not finite: if t is still 0 when you use it, 1 - beta1 ** t is 0. Increment"
                       " t before using it (the first step has t = 1)."))
        ref1, _unused = optim.adam(x, dx, {}, **hyper)
        if not _close(x1, ref1):
            ratio = np.median(np.abs(x1 - x) / np.abs(ref1 - x))
            _diagnose(x1, ref1, [
                (_("the first step is about {ratio:.1f}x too large: did you forget the bias correction? Both moments "
                   "start at zero, so divide them by (1 - beta ** t).", ratio=ratio),
                 x - hyper["learning_rate"] * 0.1 * dx / (np.sqrt(0.001 * dx * dx) + 1e-7)),
                (_("the first step is about {ratio:.1f}x too large: the second moment needs its bias correction too, "
                   "not only the first.", ratio=ratio),
                 x - hyper["learning_rate"] * dx / (np.sqrt(0.001 * dx * dx) + 1e-7)),
                (_("the first step is far too large: the slide divides by the square root of the second moment."),
                 x - hyper["learning_rate"] * dx / (dx * dx + 1e-7)),
            ], _("x after the first step"))
        got = _trajectory(fn, 30, **hyper)
        expected = _trajectory(optim.adam, 30, **hyper)
        if not _close(got, expected):
            stuck = _trajectory(lambda x, dx, s, **h: optim.adam(x, dx, {**s, "t": 0}, **h), 30, **hyper)

            def corrected_kept(x, dx, state, *, learning_rate, beta1, beta2, eps):
                x_next, new = optim.adam(x, dx, state, learning_rate=learning_rate, beta1=beta1, beta2=beta2, eps=eps)
                t = new["t"]
                return x_next, {"t": t, "first_moment": new["first_moment"] / (1 - beta1 ** t),
                                "second_moment": new["second_moment"] / (1 - beta2 ** t)}

            _diagnose(got, expected, [
                (_("the first step is right but later ones are off: t never advances, so every step uses t = 1. "
                   "Return the incremented t in the new state."), stuck),
                (_("the first step is right but later ones drift: the state keeps the bias-corrected moments, so the "
                   "next step corrects them a second time. The correction is for this step's update only; the state "
                   "keeps the plain running averages."), _trajectory(corrected_kept, 30, **hyper)),
            ], _("x after 30 steps"))
        return 3

    return _run("adam", "lecture_utils.optim.adam", body)


def check_dropout_forward(fn):
    """fn(x, *, keep_prob, train, rng) -> (out, cache): inverted dropout."""
    fn = expect(fn, Out("out", "floats", like(0, "x")), Out("cache", "any"), check="check_dropout_forward")

    def body():
        x = np.full((400, 500), 2.0)
        for train in (True, False):  # each branch returns (out, cache): the guard says which one does not
            fn(x, keep_prob=0.5, train=train, rng=np.random.default_rng(0))
        for keep_prob in (0.8, 0.3):
            out, _unused = fn(x, keep_prob=keep_prob, train=True, rng=np.random.default_rng(0))
            kept = np.mean(out != 0)
            _fail_unless(abs(kept - (1 - keep_prob)) > 0.05 or abs(kept - keep_prob) < 0.01,
                         _("with keep_prob={keep_prob} you keep {kept:.0%} of the units: keep_prob is the probability"
                           " of KEEPING a unit, not of dropping it.", keep_prob=keep_prob, kept=kept))
            _fail_unless(abs(kept - keep_prob) < 0.01,
                         _("with keep_prob={keep_prob} you keep {kept:.0%} of the units instead of about "
                           "{keep_prob:.0%}.", keep_prob=keep_prob, kept=kept))
            scale = np.median(out[out != 0]) / 2.0
            _fail_unless(abs(scale - 1.0) > 1e-6 or keep_prob == 1.0,
                         _("the mean activation in training is {mean:.2f} for inputs of 2.0: did you forget to"
                           " divide the kept units by keep_prob? That is what makes it inverted dropout.",
                           mean=np.mean(out)))
            _fail_unless(np.allclose(out[out != 0], 2.0 / keep_prob),
                         _("kept units should be scaled by 1 / keep_prob; yours are scaled by {scale:.3g}.",
                           scale=scale))
        again, _unused = fn(x, keep_prob=0.5, train=True, rng=np.random.default_rng(1))
        same, _unused = fn(x, keep_prob=0.5, train=True, rng=np.random.default_rng(1))
        _fail_unless(np.array_equal(again, same),
                     _("the same rng seed gave different masks: draw the mask from the rng argument "
                       "(rng.random(x.shape)), not from np.random."))
        test_out, _unused = fn(x, keep_prob=0.5, train=False, rng=np.random.default_rng(2))
        _fail_unless(np.array_equal(test_out, x),
                     _("test mode should return x unchanged: inverted dropout already scaled in training. (The "
                       "original paper scaled by p at test time instead; the study notes describe that version.)"))
        return 6

    return _run("dropout_forward", "lecture_utils.layers.dropout_forward", body)


def check_batchnorm_backward(fn):
    """fn(dout, cache) -> (dx, dgamma, dbeta), cache from lecture_utils.layers.batchnorm_forward."""
    # dgamma's and dbeta's shapes are left to the hints: a sum over the wrong axis has its own
    fn = expect(fn, Out("dx", "floats", like(0, "dout")), Out("dgamma", "floats"), Out("dbeta", "floats"),
                check="check_batchnorm_backward")

    def body():
        rng = np.random.default_rng(0)
        x, gamma, beta = rng.normal(2.0, 3.0, (10, 4)), rng.normal(size=4), rng.normal(size=4)
        dout = rng.normal(size=(10, 4))
        _unused, cache, _unused = layers.batchnorm_forward(x, gamma, beta, None, train=True)
        dx, dgamma, dbeta = fn(dout, cache)
        ref_dx, ref_dgamma, ref_dbeta = layers.batchnorm_backward(dout, cache)
        n = dout.shape[0]
        mean_not_sum = (_("{{}} is N = {n} times too small: every example of the batch adds its gradient to the same "
                          "parameter, so the gradients add up over the batch rather than average.", n=n))
        if not _close(dbeta, ref_dbeta):
            _diagnose(dbeta, ref_dbeta, [(_("dbeta is summed over the wrong axis: sum over the batch (axis 0)."),
                                          dout.sum(axis=1)), (mean_not_sum.format("dbeta"), ref_dbeta / n)], "dbeta")
        if not _close(dgamma, ref_dgamma):
            _diagnose(dgamma, ref_dgamma, [(_("dgamma should use the normalised x_hat, not the raw input x."),
                                            (dout * x).sum(axis=0)), (mean_not_sum.format("dgamma"), ref_dgamma / n)],
                      "dgamma")
        if not _close(dx, ref_dx):
            dx_hat = dout * cache.gamma
            _diagnose(dx, ref_dx, [
                (_("dx is N = {n} times too large: the batch mean and variance are averages over the N examples, and "
                   "that 1/N stays in every path through them.", n=n), ref_dx * n),
                (_("the two terms that run through the batch mean and variance are N = {n} times too small: they "
                   "collect a contribution from every example (a sum over the batch), which is not an average.", n=n),
                 cache.inv_std / n * (n * dx_hat - dx_hat.mean(axis=0)
                                      - cache.x_hat * (dx_hat * cache.x_hat).mean(axis=0))),
                (_("dx treats the batch mean and variance as constants: every x_i also moves the mean and the "
                   "variance, which adds two terms summed over the batch."), dx_hat * cache.inv_std),
                (_("dx misses the path through the batch mean (the term with the sum of dx_hat)."),
                 cache.inv_std / n * (n * dx_hat - cache.x_hat * (dx_hat * cache.x_hat).sum(axis=0))),
                (_("dx misses the path through the batch variance (the term with x_hat times a sum)."),
                 cache.inv_std / n * (n * dx_hat - dx_hat.sum(axis=0))),
                (_("dx forgets gamma: the gradient reaching x_hat is dout * gamma."), ref_dx / cache.gamma),
            ], "dx")
        return 3

    return _run("batchnorm_backward", "lecture_utils.layers.batchnorm_backward", body)


def _second_moment_gain(std, fan_in, slope):
    """What one layer with weights of this std does to E[x^2] of a symmetric input: Var(z) = fan_in * std^2 * E[x^2],
    then the activation keeps (1 + slope^2) / 2 of it (slope 1 is the identity, as tanh near 0; slope 0 is ReLU)."""
    return fan_in * std ** 2 * (1 + slope ** 2) / 2


def _check_init(fn, exercise, reference, slopes, suspects, *, takes_slope):
    """Shared by the init checks: shape, zero mean, the std, the rng.

    fn(fan_in, fan_out, slope, rng) for each of `slopes` when `takes_slope`, else fn(fan_in, fan_out, rng) for an
    activation of one slope (`slopes` = [1.0] for tanh, which is the identity near 0; [0.0] for ReLU);
    reference(fan_in, fan_out, slope) is the right std; suspects is a list of (hint, std as a function of
    fan_in, fan_out and slope) for typical wrong versions. No hint states the formula: the general one says
    what the learner's weights do to the second moment of the activations, layer after layer."""
    def weights(fan_in, fan_out, slope, rng):
        return fn(fan_in, fan_out, slope, rng) if takes_slope else fn(fan_in, fan_out, rng)

    fn = expect(fn, Out(N_("the weight matrix"), "floats", lambda args: ((args[0], args[1]), _("(fan_in, fan_out)"))),
                check=f"check_{exercise}")
    shapes = [(800, 50), (50, 800)]
    cases = [(shape, slope) for slope in slopes for shape in shapes]

    def body():
        stds = []
        for (fan_in, fan_out), slope in cases:
            w = weights(fan_in, fan_out, slope, np.random.default_rng(0))
            _fail_unless(abs(np.mean(w)) < 0.05 * np.std(w), _("the weights should have mean zero."))
            stds.append(np.std(w))

        def matches(std_of):  # within 5% for every shape and slope
            return all(abs(std / std_of(fan_in, fan_out, slope) - 1) < 0.05
                       for std, ((fan_in, fan_out), slope) in zip(stds, cases))

        if not matches(reference):
            for hint, wrong_std in suspects:
                if matches(wrong_std):
                    raise ExerciseFailed(hint)
            for std, ((fan_in, fan_out), slope) in zip(stds, cases):
                if abs(std / reference(fan_in, fan_out, slope) - 1) >= 0.05:
                    gain = _second_moment_gain(std, fan_in, slope)
                    factor = f"{gain:.2f}" if 0.01 <= gain < 100 else f"{gain:.1e}"
                    layer = (_("a Leaky ReLU layer with slope = {slope}", slope=slope) if takes_slope else
                             _("a ReLU layer") if slope == 0 else _("a tanh layer (the identity near 0)"))
                    raise ExerciseFailed(_("with fan_in = {fan_in}, {layer} with your weights multiplies the second "
                                           "moment of its input by {factor}; to keep it layer after layer, that "
                                           "factor must be 1. Redo section 2's variance algebra for this case.",
                                           fan_in=fan_in, layer=layer, factor=factor))
        a, b = (weights(30, 20, slopes[-1], np.random.default_rng(5)) for _unused in range(2))
        _fail_unless(np.array_equal(a, b), _("the same rng seed gave different weights: draw them from the rng "
                                             "argument, not from np.random."))
        return 3 * len(cases) + 1

    reference_name = _("lecture_utils.init.init_weights(fan_in, fan_out, 'xavier' or 'he', rng)") if not takes_slope \
        else _("lecture_utils.experiments.propagation.matched_init('leaky_relu', slope, fan_in)")
    return _run(exercise, reference_name, body)


def check_he_init(fn):
    """fn(fan_in, fan_out, rng) -> (fan_in, fan_out) weights with He's std sqrt(2 / fan_in)."""
    return _check_init(fn, "he_init", lambda fan_in, fan_out, _: init.init_std(fan_in, fan_out, "he"), [0.0], [
        (_("the spread follows fan_out: a unit of the forward pass sums fan_in products, so fan_in is what sets the "
           "variance of its output."), lambda fan_in, fan_out, _: np.sqrt(2 / fan_out)),
        (_("with your weights a ReLU layer halves the second moment of its input, layer after layer: that is the "
           "scale for tanh. ReLU zeroes half of its inputs, and that half is missing from the algebra."),
         lambda fan_in, fan_out, _: 1 / np.sqrt(fan_in)),
        (_("your std is the variance section 2 asks for; the weights' std is its square root."),
         lambda fan_in, fan_out, _: 2 / fan_in),
    ], takes_slope=False)


def check_xavier_init(fn):
    """fn(fan_in, fan_out, rng) -> (fan_in, fan_out) weights with the lecture's Xavier std 1 / sqrt(fan_in)."""
    return _check_init(fn, "xavier_init", lambda fan_in, fan_out, _: init.init_std(fan_in, fan_out, "xavier"), [1.0], [
        (_("the spread follows fan_out: a unit of the forward pass sums fan_in products, so fan_in is what sets the "
           "variance of its output."), lambda fan_in, fan_out, _: 1 / np.sqrt(fan_out)),
        (_("with your weights a tanh layer doubles the variance of its input, layer after layer: the factor 2 makes "
           "up for ReLU's zeroed half, and tanh near 0 zeroes nothing."),
         lambda fan_in, fan_out, _: np.sqrt(2 / fan_in)),
        (_("that is Glorot and Bengio's compromise between fan_in and fan_out; the lecture's Xavier keeps the forward"
           " pass alone, which depends on fan_in only."), lambda fan_in, fan_out, _: np.sqrt(2 / (fan_in + fan_out))),
        (_("your std is the variance section 2 asks for; the weights' std is its square root."),
         lambda fan_in, fan_out, _: 1 / fan_in),
    ], takes_slope=False)


LEAKY_SLOPES = (0.0, 0.2, 0.5, 1.0)


def check_leaky_relu_init(fn):
    """fn(fan_in, fan_out, slope, rng) -> (fan_in, fan_out) weights that keep the second moment through Leaky ReLU
    layers max(slope * z, z) (He et al., 2015, eq. 15; the reference is propagation.matched_init, and the formula is
    left out of this docstring on purpose: the exercise is to derive it)."""
    def right(fan_in, fan_out, slope):
        return np.sqrt(2 / ((1 + slope ** 2) * fan_in))

    return _check_init(fn, "leaky_relu_init", right, LEAKY_SLOPES, takes_slope=True, suspects=[
        (_("your std ignores the slope: it is He's for every slope. With slope > 0 the negative half of z is not "
           "zeroed but scaled, so it keeps part of its second moment."),
         lambda fan_in, fan_out, slope: np.sqrt(2 / fan_in)),
        (_("right at slope 0 and 1, off in between: the negative half contributes E[(slope * z)^2], so the slope "
           "enters the algebra squared."), lambda fan_in, fan_out, slope: np.sqrt(2 / ((1 + slope) * fan_in))),
        (_("your std is the variance your algebra gives; the weights' std is its square root."),
         lambda fan_in, fan_out, slope: right(fan_in, fan_out, slope) ** 2),
        (_("the spread follows fan_out: a unit of the forward pass sums fan_in products, so fan_in is what sets the "
           "variance of its output."), lambda fan_in, fan_out, slope: right(fan_out, fan_in, slope)),
    ])


def check_elu(forward, backward):
    """forward(x, alpha) -> (out, cache) and backward(dout, cache) -> dx: the ELU pair."""
    forward = expect(forward, Out("out", "floats", like(0, "x")), Out("cache", "cache"), check="check_elu")
    backward = expect(backward, Out("dx", "floats", like(0, "dout")), check="check_elu")

    def body():
        rng = np.random.default_rng(0)
        x, dout = rng.normal(scale=2.0, size=(6, 7)), rng.normal(size=(6, 7))
        for alpha in (1.0, 0.5):
            out, cache = forward(x.copy(), alpha)
            ref, _unused = elu_forward(x, alpha)
            if not _close(out, ref):
                neg = x <= 0
                _diagnose(out, ref, [
                    (_("for x < 0 the output should approach -alpha, not 0: ELU is alpha * (exp(x) - 1) there."),
                     np.where(neg, alpha * np.exp(x), x)),
                    (_("the negative side ignores alpha: multiply (exp(x) - 1) by alpha."),
                     np.where(neg, np.expm1(x), x)),
                    (_("the positive side should be x itself (the identity), as in ReLU."),
                     np.where(neg, ref, alpha * np.expm1(x))),
                ], _("the forward output with alpha={alpha}", alpha=alpha))
            dx = backward(dout, cache)
            ref_dx = elu_backward(dout, elu_forward(x, alpha)[1])
            if not _close(dx, ref_dx):
                local = np.where(x > 0, 1.0, alpha * np.exp(x))
                _diagnose(dx, ref_dx, [
                    (_("dx is the local derivative alone: multiply it by dout (the chain rule)."), local),
                    (_("for x < 0 the derivative is alpha * exp(x) = out + alpha, not out."),
                     dout * np.where(x > 0, 1.0, ref)),
                    (_("for x < 0 your derivative is 0, as for ReLU; ELU's is alpha * exp(x), never 0."),
                     dout * (x > 0)),
                    (_("for x < 0 your derivative is right for alpha = 1 only (this is alpha = {alpha}): alpha "
                       "multiplies the whole negative side, so it stays in its derivative.", alpha=alpha),
                     dout * np.where(x > 0, 1.0, np.exp(x))),
                    (_("for x < 0 your derivative is right for alpha = 1 only (this is alpha = {alpha}): alpha "
                       "multiplies the whole negative side, so it stays in its derivative.", alpha=alpha),
                     dout * np.where(x > 0, 1.0, ref + 1)),
                ], _("dx with alpha={alpha}", alpha=alpha))
        big = np.array([[-800.0, -30.0, 0.5, 30.0, 800.0]])
        with np.errstate(over="ignore", invalid="ignore"):
            out, cache = forward(big, 1.0)
            dx = backward(np.ones_like(big), cache)
        _fail_unless(np.all(np.isfinite(out)) and np.all(np.isfinite(dx)),
                     _("the output or dx is not finite for x = 800: exp(800) overflows, and inf * 0 is NaN. Compute "
                       "the exponential only where x <= 0 (np.minimum(x, 0) inside exp does it)."))
        return 5

    return _run("elu", _("lecture_utils.activations.elu_forward / elu_backward"), body)


def check_standardize(fn):
    """fn(X_train, X_test) -> (train_standardized, test_standardized), both with the TRAINING mean and std."""
    fn = expect(fn, Out(N_("the standardised training data"), "floats", like(0, "X_train")),
                Out(N_("the standardised test data"), "floats", like(1, "X_test")), check="check_standardize")

    def body():
        rng = np.random.default_rng(0)
        X_train = rng.normal([0.0, 5.0, -3.0, 100.0, 7.0], [1.0, 2.0, 0.5, 10.0, 1.0], size=(200, 5))
        X_train[:, 4] = 7.0  # a feature that never changes in training
        X_test = rng.normal([1.0, 4.0, -2.0, 120.0, 7.5], [2.0, 1.0, 1.0, 5.0, 0.5], size=(50, 5))
        before = (X_train.copy(), X_test.copy())
        got_train, got_test = fn(X_train, X_test)
        _fail_unless(np.array_equal(X_train, before[0]) and np.array_equal(X_test, before[1]),
                     _("your function changed X_train or X_test in place; return new arrays."))
        stats = fit_standardizer(X_train)
        expected_train, expected_test = standardize(X_train, stats), standardize(X_test, stats)
        _fail_unless(np.all(np.isfinite(got_train)) and np.all(np.isfinite(got_test)),
                     _("NaN or inf: a feature that is constant in training has std 0. Divide such features by 1 "
                       "instead (they are only centred)."))
        both = np.concatenate([X_train, X_test])
        pooled = fit_standardizer(both)
        mean, std = X_train.mean(axis=0), X_train.std(axis=0)
        whole = [(X - X_train.mean()) / X_train.std() for X in (X_train, X_test)]
        centred = [X - mean for X in (X_train, X_test)]
        plus_eps = [(X - mean) / (std + 1e-8) for X in (X_train, X_test)]
        for got, side in ((got_train, 0), (got_test, 1)):
            for hint, wrong in [
                (_("one mean and one std for the whole array: each feature (column) has its own scale, so each needs "
                   "its own mean and std, taken over the examples (axis=0)."), whole),
                (_("the data are centred but not scaled: after subtracting the mean, divide each feature by its "
                   "training std too."), centred),
                (_("the feature that is constant in training (std 0) blows up in the test data: its test values "
                   "differ from the training mean by about 0.5, and 0.5 / (0 + 1e-8) is 5e7. A std of 0 means there "
                   "is nothing to scale: leave that feature's scale at 1."), plus_eps),
            ]:
                if not _close(got, [expected_train, expected_test][side]) and _close(got, wrong[side], rtol=1e-4):
                    raise ExerciseFailed(hint)
        if not _close(got_train, expected_train):
            _diagnose(got_train, expected_train, [
                (_("the training data were standardised with statistics of train and test together: that leaks the "
                   "test set into training. Fit the mean and std on X_train alone."), standardize(X_train, pooled)),
                (_("your std differs slightly: use the population std (np.std's default, ddof=0), as the course does."),
                 (X_train - X_train.mean(0)) / np.where(X_train.std(0, ddof=1) < 1e-8, 1.0, X_train.std(0, ddof=1))),
            ], _("the standardised training data"))
        if not _close(got_test, expected_test):
            own = fit_standardizer(X_test)
            _diagnose(got_test, expected_test, [
                (_("the test set was standardised with its OWN mean and std. The test set stands for data you have "
                   "not seen: apply the statistics fitted on X_train."), standardize(X_test, own)),
                (_("the test set was standardised with statistics of train and test together (leakage): apply the "
                   "statistics fitted on X_train alone."), standardize(X_test, pooled)),
            ], _("the standardised test data"))
        return 4

    return _run("standardize", _("lecture_utils.preprocessing.fit_standardizer / standardize"), body)


def check_update_ratios(fn):
    """fn(params, updates) -> {name: ||update|| / ||W||} for the weight matrices W1, W2, ... (params before the update)."""
    fn = expect(fn, Out(N_("the result"), "dict of numbers",
                        noun=N_("a dict {name: ratio}, one ratio per weight matrix")),
                check="check_update_ratios")

    def body():
        rng = np.random.default_rng(0)
        params = {"W1": rng.normal(scale=0.1, size=(6, 5)), "b1": np.zeros(5), "gamma1": np.ones(5),
                  "W2": rng.normal(scale=0.05, size=(5, 3)), "b2": np.zeros(3)}
        grads = {name: rng.normal(size=p.shape) for name, p in params.items()}
        updates = {name: -1e-3 * g for name, g in grads.items()}
        before = {name: p.copy() for name, p in params.items()}
        got = fn(params, updates)
        _fail_unless(all(np.array_equal(params[k], before[k]) for k in params),
                     _("your function changed the parameters; it should only measure them."))
        expected = monitoring.update_ratios(params, updates)
        extra, missing = sorted(set(got) - set(expected)), sorted(set(expected) - set(got))
        _fail_unless(not extra, _("only the weight matrices W1, W2, ... have a ratio: leave out {extra} (a bias "
                                  "starts at 0, so its ratio is infinite at first and says nothing).", extra=extra))
        _fail_unless(not missing, _("the dict has no ratio for {missing}.", missing=missing))
        names = sorted(expected)
        got_v, exp_v = [got[k] for k in names], [expected[k] for k in names]
        if not _close(got_v, exp_v):
            W = [params[k] for k in names]
            U = [updates[k] for k in names]
            _diagnose(got_v, exp_v, [
                (_("your ratio is upside down: it is the size of the update divided by the size of the weights."),
                 [1 / r for r in exp_v]),
                (_("your ratios use the weights after the update: compare the update with the weights it is applied "
                   "to, the params you are given."), [np.linalg.norm(u) / np.linalg.norm(w + u) for w, u in zip(W, U)]),
                (_("compare norms, not squared norms: take the square root of the sums of squares (np.linalg.norm)."),
                 [r ** 2 for r in exp_v]),
                (_("divide the norm of the whole update by the norm of the whole weight matrix, not the entries one "
                   "by one (an entry near 0 makes an elementwise ratio explode)."),
                 [np.mean(np.abs(u) / np.abs(w)) for w, u in zip(W, U)]),
                (_("use the Euclidean norm of all entries (np.linalg.norm of the raveled matrix), not the sum of "
                   "absolute values."), [np.abs(u).sum() / np.abs(w).sum() for w, u in zip(W, U)]),
                (_("use the norm of all entries, not the largest entry."),
                 [np.abs(u).max() / np.abs(w).max() for w, u in zip(W, U)]),
            ], _("the ratio for at least one weight matrix"))
        # a larger learning rate gives a proportionally larger ratio
        bigger = fn(params, {name: 10 * u for name, u in updates.items()})
        _fail_unless(_close([bigger[k] for k in names], [10 * r for r in exp_v]),
                     _("ten times larger updates should give ten times larger ratios."))
        return 4

    return _run("update_ratios", "lecture_utils.experiments.monitoring.update_ratios", body)


def check_log_uniform(fn):
    """fn(low, high, size, rng) -> `size` values between low and high whose log is uniformly distributed."""
    fn = expect(fn, Out(N_("the array of values"), "floats", lambda args: ((args[2],), _("size={size} values",
                                                                                         size=args[2]))),
                check="check_log_uniform")

    def body():
        count = 0
        for low, high in [(1e-6, 1e-1), (1e-3, 1e2), (0.5, 2.0)]:
            values = fn(low, high, 5000, np.random.default_rng(1))
            again, other = fn(low, high, 5000, np.random.default_rng(1)), fn(low, high, 5000, np.random.default_rng(2))
            _fail_unless(np.array_equal(values, again) and not np.array_equal(values, other),
                         _("the same rng seed gave different values (or different seeds the same): draw from the "
                           "generator `rng` you are given, not from np.random."))
            _fail_unless(np.all(np.isfinite(values)), _("some values are NaN or inf."))
            if not np.all((values >= low) & (values <= high)):
                lo, hi = np.log10(low), np.log10(high)
                if np.all((values >= lo) & (values <= hi)):
                    raise ExerciseFailed(_("the values are exponents: you sampled log10 of the value uniformly, which"
                                           " is right, but then returned it without raising 10 to it."))
                if np.all((values >= 10 ** low) & (values <= 10 ** high)):
                    raise ExerciseFailed(_("low and high are the values themselves (like 1e-6 and 1e-1), not "
                                           "exponents: take their logarithm before sampling."))
                if np.all((values >= np.exp(lo)) & (values <= np.exp(hi))):
                    raise ExerciseFailed(_("two different bases: the logarithm and its inverse must match (log10 with"
                                           " 10 ** x, or np.log with np.exp)."))
                raise ExerciseFailed(_("some values lie outside [low, high]."))
            position = (np.log10(values) - np.log10(low)) / (np.log10(high) - np.log10(low))  # uniform in [0, 1]
            if high / low >= 100:
                top = np.mean(values > high / 10)
                _fail_unless(top < 0.5, _("{top:.0%} of the values lie in the top factor of ten of the range: that is"
                                          " uniform sampling in linear space. Sample the logarithm uniformly instead.",
                                          top=top))
            ks = np.max(np.abs(np.sort(position) - (np.arange(1, 5001) - 0.5) / 5000))
            _fail_unless(ks < 0.035, _("the logarithm of the values is not uniformly distributed between log(low) and"
                                       " log(high)."))
            count += 4
        return count

    return _run("log_uniform", _("lecture_utils.experiments.search.LogUniform(low, high).sample"), body)


def _stateless(rule):
    """A version of `rule` that forgets its state between calls (the typical slip of not returning it)."""
    return lambda x, dx, state, **hyper: (rule(x, dx, {}, **hyper)[0], {})


def check_nesterov(fn):
    """fn(x, dx, state, *, learning_rate, rho) -> (x_next, state): Nesterov momentum in the slide's form."""
    fn = expect(fn, Out("x_next", "floats", like(0, "x")), Out("state", "dict"), check="check_nesterov")

    def body():
        hyper = dict(learning_rate=0.05, rho=0.9)
        x, dx = np.array([1.0, -2.0]), np.array([0.5, 0.5])
        x1, state1 = fn(x, dx, {}, **hyper)
        _fail_unless(np.array_equal(x, [1.0, -2.0]), _("your rule changed the x it was given; return a new array."))
        got, expected = _trajectory(fn, 25, **hyper), _trajectory(optim.nesterov, 25, **hyper)
        if not _close(got, expected):
            def plain(x, dx, state, *, learning_rate, rho):  # v = rho v - lr dx; x += v
                v = rho * state.get("v", 0.0) - learning_rate * dx
                return x + v, {"v": v}

            def uphill(x, dx, state, **h):
                x_next, new = optim.nesterov(x, dx, state, **h)
                return 2 * x - x_next, new

            def no_one_plus_rho(x, dx, state, *, learning_rate, rho):
                old_v = state.get("v", 0.0)
                v = rho * old_v - learning_rate * dx
                return x - rho * old_v + v, {"v": v}

            _diagnose(got, expected, [
                (_("these are the steps of ordinary momentum (x += v). Nesterov's change of variables steps by -rho *"
                   " old_v + (1 + rho) * v, where old_v is the velocity from BEFORE this step's update."),
                 _trajectory(plain, 25, **hyper)),
                (_("x moves uphill: check the signs. v points downhill (v = rho * v - learning_rate * dx) and x moves"
                   " along it (x += -rho * old_v + (1 + rho) * v)."), _trajectory(uphill, 25, **hyper)),
                (_("the velocity does not carry over between calls: read it from state, update it, return it."),
                 _trajectory(_stateless(optim.nesterov), 25, **hyper)),
                (_("the new velocity is weighted by (1 + rho) in the step, not by 1."),
                 _trajectory(no_one_plus_rho, 25, **hyper)),
            ], _("x after 25 steps"))
        return 3

    return _run("nesterov", "lecture_utils.optim.nesterov", body)


def check_rmsprop(fn):
    """fn(x, dx, state, *, learning_rate, decay_rate) -> (x_next, state): RMSProp with the slide's eps 1e-7."""
    fn = expect(fn, Out("x_next", "floats", like(0, "x")), Out("state", "dict"), check="check_rmsprop")

    def body():
        hyper = dict(learning_rate=0.01, decay_rate=0.9)
        x, dx = np.array([1.0, -2.0]), np.array([0.5, -0.5])
        x1, state1 = fn(x, dx, {}, **hyper)
        _fail_unless(np.array_equal(x, [1.0, -2.0]), _("your rule changed the x it was given; return a new array."))
        got, expected = _trajectory(fn, 30, **hyper), _trajectory(optim.rmsprop, 30, **hyper)
        if not _close(got, expected):
            def adagrad(x, dx, state, *, learning_rate, decay_rate):
                return optim.adagrad(x, dx, state, learning_rate=learning_rate)

            def swapped(x, dx, state, *, learning_rate, decay_rate):
                g = (1 - decay_rate) * state.get("grad_squared", 0.0) + decay_rate * dx * dx
                return x - learning_rate * dx / (np.sqrt(g) + 1e-7), {"grad_squared": g}

            def no_one_minus(x, dx, state, *, learning_rate, decay_rate):
                g = decay_rate * state.get("grad_squared", 0.0) + dx * dx
                return x - learning_rate * dx / (np.sqrt(g) + 1e-7), {"grad_squared": g}

            def no_sqrt(x, dx, state, *, learning_rate, decay_rate):
                g = decay_rate * state.get("grad_squared", 0.0) + (1 - decay_rate) * dx * dx
                return x - learning_rate * dx / (g + 1e-7), {"grad_squared": g}

            _diagnose(got, expected, [
                (_("grad_squared only grows: that is AdaGrad. RMSProp lets the old sum leak away: keep decay_rate of "
                   "it and add (1 - decay_rate) * dx * dx."), _trajectory(adagrad, 30, **hyper)),
                (_("the two weights are swapped: keep decay_rate of the old grad_squared and add (1 - decay_rate) of "
                   "the new dx * dx."), _trajectory(swapped, 30, **hyper)),
                (_("the steps are about sqrt(10) = 3.2 times too small: grad_squared grows to about 1 / (1 - "
                   "decay_rate) = 10 times the squared gradient, because the new dx * dx enters at full weight. A "
                   "moving average gives the old value and the new one weights that add up to 1."),
                 _trajectory(no_one_minus, 30, **hyper)),
                (_("divide by the square root of grad_squared (plus 1e-7), not by grad_squared itself."),
                 _trajectory(no_sqrt, 30, **hyper)),
                (_("grad_squared does not carry over between calls: read it from state, update it, return it."),
                 _trajectory(_stateless(optim.rmsprop), 30, **hyper)),
            ], _("x after 30 steps"))
        # tiny gradients: where eps must sit
        tiny = np.array([1e-4, -2e-4])
        got1, _unused = fn(x, tiny, {}, **hyper)
        ref1, _unused = optim.rmsprop(x, tiny, {}, **hyper)
        _fail_unless(_close(got1, ref1), _("with tiny gradients your step differs: add 1e-7 after the square root "
                                           "(np.sqrt(grad_squared) + 1e-7), as the slide does, not inside it."))
        return 3

    return _run("rmsprop", "lecture_utils.optim.rmsprop", body)


def _warmup_cosine_hint(got, lr0, warmup, total):
    """The hint for a wrong warm-up + cosine schedule: which typical slip its values match, piece by piece."""
    t = np.arange(len(got))
    ramp, decay, tail = t < warmup, (t >= warmup) & (t < total), t >= total

    def cosine(s, span):  # half a cosine from lr0 to 0 over `span` steps
        return lr0 * (1 + np.cos(np.pi * s / span)) / 2

    if not _close(got[ramp], lr0 * (t[ramp] + 1) / warmup, rtol=1e-9, atol=1e-15):
        if got[0] == 0:
            return (_("the first step has learning rate 0, so it is wasted: the ramp should reach lr0 at the last "
                      "warm-up step (t = warmup_steps - 1), not start from 0."))
        return (_("the warm-up is off: it is a straight line that reaches lr0 exactly at the last warm-up step, t = "
                  "warmup_steps - 1, and starts one step's worth above 0."))
    s, span = t[decay] - warmup, total - warmup
    for hint, wrong in [
        (_("the cosine does not reach 0 at total_steps: after the warm-up only total_steps - warmup_steps steps "
           "remain, so the cosine spans those."), cosine(s, total)),
        (_("the learning rate goes back up at the end: the decay is HALF a cosine, (1 + cos(pi * s / S)) / 2, not a "
           "full period."), cosine(2 * s, span)),
        (_("the learning rate jumps down at the end of the warm-up: the cosine must start at lr0, counting its steps "
           "from the end of the warm-up (t - warmup_steps)."), np.where(t[decay] < span, cosine(t[decay], span), 0)),
        (_("the learning rate jumps down at the end of the warm-up: the cosine must start at lr0, counting its steps "
           "from the end of the warm-up (t - warmup_steps)."), cosine(t[decay], total)),
        (_("the cosine is one step off: at t = warmup_steps (its first step) the rate is exactly lr0, and at t = "
           "total_steps it has just reached 0."), cosine(s + 1, span)),
        (_("the cosine is one step off: at t = warmup_steps (its first step) the rate is exactly lr0, and at t = "
           "total_steps it has just reached 0."), cosine(s - 1, span)),
        (_("the cosine spans one step too many or too few: it takes total_steps - warmup_steps steps to go from lr0 "
           "to 0."), cosine(s, span + 1)),
        (_("the cosine spans one step too many or too few: it takes total_steps - warmup_steps steps to go from lr0 "
           "to 0."), cosine(s, max(span - 1, 1))),
    ]:
        if _close(got[decay], wrong, rtol=1e-9, atol=1e-15):
            return hint
    if not _close(got[decay], cosine(s, span), rtol=1e-9, atol=1e-15):
        return _("the decay after the warm-up is off: compare it with half a cosine from lr0 down to 0.")
    if not np.all(got[tail] == 0):
        return _("after total_steps the rate should stay at 0: the schedule is over (the cosine goes back up past "
                 "it).")
    return _("compare your rate at that step with the formula in the text.")


def check_warmup_cosine(fn):
    """fn(lr0, warmup_steps, total_steps) -> a function t -> lr: a linear warm-up to lr0 over warmup_steps, then
    half a cosine from lr0 down to 0 at total_steps (and 0 afterwards)."""
    fn = expect(fn, Out(N_("the schedule"), "callable"), check="check_warmup_cosine")

    def body():
        count = 0
        for lr0, warmup, total in [(0.1, 10, 100), (3e-4, 500, 5000), (1.0, 1, 7)]:
            schedule = expect(fn(lr0, warmup, total), Out(N_("the learning rate"), "number"),
                              check="check_warmup_cosine")
            got = np.array([schedule(t) for t in range(total + 5)], dtype=np.float64)
            expected_fn = schedules.linear_warmup(schedules.cosine_decay(lr0, total - warmup), warmup)
            expected = np.array([expected_fn(t) for t in range(total + 5)])
            if _close(got, expected, rtol=1e-9, atol=1e-15):
                count += 1
                continue
            first = int(np.argmax(~np.isclose(got, expected, rtol=1e-9, atol=1e-15)))
            where = (_("with lr0={lr0}, warmup_steps={warmup}, total_steps={total} your rate first differs at t = "
                       "{first}: ", lr0=lr0, warmup=warmup, total=total, first=first))
            raise ExerciseFailed(where + _warmup_cosine_hint(got, lr0, warmup, total))
        return count

    return _run("warmup_cosine", _("lecture_utils.schedules.linear_warmup(cosine_decay(lr0, total - warmup), warmup)"),
                body)


def check_ensemble_predict(fn):
    """fn(member_scores (M, N, C)) -> predicted labels (N,): the argmax of the members' mean softmax probabilities."""
    fn = expect(fn, Out(N_("the array of predicted labels"), "labels", lambda args: (
        (np.shape(args[0])[1],), _("one label per example (N,), after averaging over the members (axis 0)"))),
                check="check_ensemble_predict")

    def body():
        rng = np.random.default_rng(0)
        scales = np.array([6.0, 0.7, 0.7, 0.4])[:, None, None]  # one confident member, three hesitant ones
        scores = rng.normal(size=(4, 300, 5)) * scales
        before = scores.copy()
        got = fn(scores)
        _fail_unless(np.array_equal(scores, before), _("your function changed the scores it was given."))
        expected = np.argmax(ensembles.average_predictions(scores), axis=1)
        if np.array_equal(got, expected):
            huge = fn(np.stack([scores[0] * 200, scores[1]]))  # softmax of large scores must not overflow
            _fail_unless(np.array_equal(huge, np.argmax(ensembles.average_predictions(
                np.stack([scores[0] * 200, scores[1]])), axis=1)),
                _("large scores give wrong answers: subtract each row's maximum score before exponentiating."))
            return 2
        votes = np.array([np.bincount(col, minlength=5).argmax() for col in np.argmax(scores, axis=2).T])
        for hint, wrong in [
            (_("you averaged the raw scores or the log-probabilities (the two pick the same label: log-softmax only "
               "subtracts one number per member and example). Average the softmax PROBABILITIES of the members, so "
               "that one member with large scores does not outvote the others."), np.argmax(scores.mean(axis=0),
                                                                                            axis=1)),
            (_("that is a majority vote of the members' labels: average their softmax probabilities instead, so that "
               "each member's confidence counts."), votes),
            (_("only the first member counts: average the probabilities of all members."),
             np.argmax(scores[0], axis=1)),
        ]:
            if np.array_equal(got, wrong):
                raise ExerciseFailed(hint)
        raise ExerciseFailed(_("{share:.0%} of the predicted labels differ from the argmax of the "
                               "members' mean softmax probabilities.", share=np.mean(got != expected)))

    return _run("ensemble_predict", _("np.argmax(lecture_utils.experiments.ensembles.average_predictions(scores), "
                                      "axis=1)"), body)


def check_l2_penalty(fn):
    """fn(W, reg) -> (penalty, dW): the slide's L2 term reg * sum(W ** 2) and its gradient 2 * reg * W."""
    fn = expect(fn, Out("penalty", "number"), Out("dW", "floats", like(0, "W")), check="check_l2_penalty")

    def body():
        rng = np.random.default_rng(0)
        for shape, reg in [((4, 3), 0.1), ((10, 7), 1e-3), ((1, 5), 2.0)]:
            W = rng.normal(size=shape)
            before = W.copy()
            value, dW = fn(W, reg)
            _fail_unless(np.array_equal(W, before), _("your function changed W; compute the penalty without updating "
                                                      "the weights."))
            expected_value, expected_grad = reg * np.sum(W * W), 2 * reg * W
            if not _close(value, expected_value):
                _diagnose(value, expected_value, [
                    (_("the penalty is half the slide's: R(W) = sum(W ** 2) has no factor 1/2 here."),
                     expected_value / 2),
                    (_("the penalty is missing its strength: multiply sum(W ** 2) by reg."), np.sum(W * W)),
                    (_("that is the L1 penalty (absolute values); L2 squares the weights."), reg * np.sum(np.abs(W))),
                    (_("sum the squares instead of averaging them."), reg * np.mean(W * W)),
                ], _("the penalty"))
            if not _close(dW, expected_grad):
                _diagnose(dW, expected_grad, [
                    (_("the gradient of reg * sum(W ** 2) is 2 * reg * W: the factor 2 is missing (it cancels only "
                       "when the penalty has a 1/2)."), reg * W),
                    (_("the gradient is missing reg: it is 2 * reg * W."), 2 * W),
                    (_("that is the gradient of the L1 penalty (reg * sign(W))."), reg * np.sign(W)),
                ], "dW")
        return 6

    return _run("l2_penalty", _("reg * lecture_utils.losses.l2_penalty(W)"), body)


def check_ridge_classifier(fn):
    """fn(F_train, y_train, F_test, reg) -> predicted labels of F_test (5 classes): standardise with the training
    statistics, ridge regression onto centred one-hot targets, argmax."""
    fn = expect(fn, Out(N_("the array of predicted labels"), "labels", lambda args: ((np.shape(args[2])[0],),
                                                                                  _("one label per test row"))),
                check="check_ridge_classifier")

    def body():
        rng = np.random.default_rng(0)
        centres = rng.normal(size=(5, 40)) * 0.5
        y_train, y_test = rng.integers(0, 5, 150), rng.integers(0, 5, 400)
        # features on very different scales (up to e^8 apart), none so small that ridge_fit's std floor applies
        scale = np.exp(np.clip(rng.normal(size=40) * 2.0, -4.0, 4.0))
        F_train = (centres[y_train] + rng.normal(size=(150, 40))) * scale + 3
        shift = np.where(np.arange(40) % 2, 2.0, -2.0)  # a test set shifted along every feature
        F_test = (centres[y_test] + rng.normal(size=(400, 40)) + shift) * scale + 3
        before = (F_train.copy(), F_test.copy())
        reg = 500.0
        got = fn(F_train, y_train, F_test, reg)
        _fail_unless(np.array_equal(F_train, before[0]) and np.array_equal(F_test, before[1]),
                     _("your function changed the features it was given."))
        expected = transfer.ridge_classifier(F_train, y_train, F_test, reg)
        if np.mean(got == expected) > 0.99:
            return 2
        own = transfer.ridge_classifier(F_train, y_train, (F_test - F_test.mean(0)) / F_test.std(0) *
                                        F_train.std(0) + F_train.mean(0), reg)
        unscaled_mean = F_train.mean(0)
        raw = np.argmax((F_test - unscaled_mean) @ np.linalg.solve(
            (F_train - unscaled_mean).T @ (F_train - unscaled_mean) + reg * np.eye(40),
            (F_train - unscaled_mean).T @ (np.eye(5)[y_train] - 0.2)), axis=1)
        for hint, wrong in [
            (_("your predictions are those of plain least squares: reg does not enter. Ridge regression adds the "
               "penalty reg * ||W||^2, which puts reg on the diagonal of the matrix you solve with."),
             transfer.ridge_classifier(F_train, y_train, F_test, 0.0)),
            (_("the test features were standardised with their OWN mean and std: use the training statistics for "
               "both, as a deployed model would."), own),
            (_("the features were not standardised: with features on very different scales, the penalty falls "
               "unevenly. Subtract the training mean and divide by the training std first."), raw),
        ]:
            if np.mean(got == wrong) > 0.99:
                raise ExerciseFailed(hint)
        raise ExerciseFailed(_("{share:.0%} of the labels differ from the reference: regress onto "
                               "one-hot targets (one column per class, centred), then take the argmax of the scores.",
                               share=np.mean(got != expected)))

    return _run("ridge_classifier", "lecture_utils.experiments.transfer.ridge_classifier", body)
