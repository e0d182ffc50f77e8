"""A short, visible training loop: minibatches, forward, backward, update, and a history of curves.

The model follows the protocol of `FullyConnectedNet`: a `params` dict of arrays, and
`loss(X, y, rng=rng) -> (loss, grads)` in train mode, `loss(X) -> scores` in test mode.
"""
import inspect
import math
import time
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from ._i18n import _
from ._validation import as_float_array, check_choice, check_generator, check_int, check_labels, check_positive
from .losses import softmax_loss
from .optim import RULES
from .schedules import constant


class TrainingDiverged(FloatingPointError):
    """The loss became NaN or infinite. `history` holds the curves up to that step."""

    def __init__(self, message, history):
        super().__init__(message)
        self.history = history


class StepInfo(NamedTuple):
    """What a callback's on_step sees after each update (t counts steps from 0)."""

    t: int
    epoch: int
    loss: float
    lr: float
    params: dict  # the parameters after the update
    grads: dict
    updates: dict  # x_next - x for every parameter


class EpochInfo(NamedTuple):
    """What a callback's on_epoch sees after each epoch's evaluation (epoch counts from 1)."""

    epoch: int
    history: "History"
    params: dict


@dataclass
class History:
    """The curves of one training run: per step (loss, lr) and per epoch (the rest)."""

    loss: list = field(default_factory=list)
    lr: list = field(default_factory=list)
    epoch_loss: list = field(default_factory=list)  # mean training loss over the epoch
    train_acc: list = field(default_factory=list)  # on a fixed sample of the training data
    val_acc: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    epoch_time: list = field(default_factory=list)  # seconds per epoch, evaluation included
    steps_per_epoch: int = 0
    best_val_acc: float = -1.0
    best_epoch: int = 0  # 0: no epoch finished
    best_params: dict = field(default_factory=dict)
    best_running: dict = field(default_factory=dict)  # batch norm's running statistics at the best epoch
    diverged: str = None  # the divergence message, if training stopped on a NaN or inf loss
    # what the message blames, the same in every language: "init" (the loss was huge before any update) or
    # "learning_rate"
    divergence_cause: str = None


def accuracy(model, X, y, batch_size=1000):
    """The fraction of rows of X whose highest score is the label y, in test mode."""
    return _evaluate(model, X, y, batch_size)[0]


def _evaluate(model, X, y, batch_size=1000):
    """(accuracy, mean softmax loss) of the model on X, y in test mode."""
    scores = np.concatenate([model.loss(X[i:i + batch_size]) for i in range(0, len(X), batch_size)])
    loss, _unused = softmax_loss(scores.astype(np.float64), y)
    return float(np.mean(np.argmax(scores, axis=1) == y)), loss


def _check_data(data):
    missing = [k for k in ("X_train", "y_train", "X_val", "y_val") if k not in data]
    if missing:
        raise ValueError(f"data is missing {', '.join(missing)}; it needs X_train, y_train, X_val, y_val")
    for split in ("train", "val"):
        X = as_float_array(f"data['X_{split}']", data[f"X_{split}"])
        if X.ndim < 2 or len(X) == 0:
            raise ValueError(f"data['X_{split}'] must have shape (N, ...) with N > 0, got {X.shape}")
        check_labels(f"data['y_{split}']", data[f"y_{split}"], X.shape[0], np.iinfo(np.int64).max)


def _rule_hyper(rule, learning_rate, schedule, hyper):
    """The update function, the schedule t -> lr, and the extra hyperparameters, all checked."""
    check_choice("rule", rule, RULES)
    update = RULES[rule]
    accepted = inspect.signature(update).parameters
    hyper = dict(hyper or {})
    for key in hyper:
        if key not in accepted or key in ("x", "dx", "state", "learning_rate"):
            names = [p for p in accepted if p not in ("x", "dx", "state", "learning_rate")]
            raise ValueError(f"hyper has {key!r}, which {rule} does not take; it takes {names}")
    if schedule is not None and learning_rate is not None:
        raise ValueError("give learning_rate or schedule, not both "
                         f"(got learning_rate={learning_rate!r} and a schedule)")
    if schedule is None:
        if learning_rate is None:
            default = accepted["learning_rate"].default
            if default is inspect.Parameter.empty:
                raise ValueError(f"learning_rate is required for rule {rule!r} (it has no default)")
            learning_rate = default
        check_positive("learning_rate", learning_rate)
        schedule = constant(learning_rate)
    elif not callable(schedule):
        raise ValueError(f"schedule must be a function t -> learning rate, got {schedule!r}")
    return update, schedule, hyper


def minibatch_order(n, batch_size, num_batches, rng):
    """The examples of `num_batches` minibatches, (num_batches, batch_size) indices into range(n).

    Each pass over the data is a fresh permutation cut into floor(n / batch_size) minibatches drawn without
    replacement; the few examples left over change from pass to pass. All the permutations are drawn at once.
    Used by `train` (one pass per epoch) and by the panels' small trainers (experiments.ensembles.train_mlps,
    experiments.softmax_demo.train_softmax), which run many short trainings side by side.
    """
    per_pass = n // batch_size
    passes = [rng.permutation(n)[:per_pass * batch_size] for _unused in range(-(-num_batches // per_pass))]
    return np.concatenate(passes)[:num_batches * batch_size].reshape(num_batches, batch_size)


def train(model, data, *, rng, rule="sgd_momentum", learning_rate=None, schedule=None, hyper=None,
          epochs=10, batch_size=100, callbacks=(), progress=False, on_divergence="raise",
          train_acc_samples=1000, restore_best=True, frozen=(), lr_scale=None):
    """Train `model` on `data` with minibatch gradient descent and any update rule of optim.RULES.

    Inputs:
    - data: dict with X_train (N, ...) float, y_train (N,), X_val, y_val
    - rng: numpy.random.Generator for everything random (batch order, dropout masks, samples)
    - rule: a key of RULES; hyper: its other hyperparameters, e.g. {"rho": 0.9}
    - learning_rate: a constant (or the rule's default), or schedule: a function t -> lr
    - epochs: passes over the data; each draws floor(N / batch_size) minibatches without
      replacement, so the few examples left over change from epoch to epoch
    - callbacks: objects with on_step(StepInfo) and/or on_epoch(EpochInfo); a plain function
      is called as on_step
    - progress: show a tqdm progress bar
    - on_divergence: "raise" a TrainingDiverged at the first NaN or inf loss, or "stop" and
      return the history with its `diverged` message
    - restore_best: put the parameters of the best validation epoch back into the model at the end
    - frozen: names of parameters that are not updated (transfer learning: a frozen feature extractor)
    - lr_scale: {name: factor} multiplying the learning rate of those parameters (e.g. 0.1 for pretrained layers)
    Returns: History.

    The update is the rule of `optim` itself: it returns new arrays, so the arrays the caller held are never changed.
    """
    run = _Run(model, data, rng, rule, learning_rate, schedule, hyper, epochs, batch_size, callbacks, progress,
               on_divergence, train_acc_samples, frozen, lr_scale)
    X, y, params, t = data["X_train"], data["y_train"], model.params, 0
    with np.errstate(over="ignore", invalid="ignore"), run.bar:  # a divergence is reported once, below
        for epoch in range(1, epochs + 1):
            run.start_epoch()
            for batch in minibatch_order(len(X), batch_size, run.history.steps_per_epoch, rng):
                lr = run.schedule(t)
                # forward and backward
                loss, grads = model.loss(X[batch], y[batch], rng=rng)
                if not run.loss_is_finite(t, epoch, loss, lr):
                    break
                # update
                before = dict(params)
                for name in run.trained:
                    params[name], run.states[name] = run.update(params[name], grads[name], run.states[name],
                                                                learning_rate=lr * run.lr_scale.get(name, 1.0),
                                                                **run.hyper)
                run.end_step(StepInfo(t, epoch, loss, lr, params, grads, run.updates(before, params)))
                t += 1
            if run.history.diverged:
                break
            run.end_epoch(model, data, epoch)  # evaluate on the validation set, keep the best parameters
    return run.finish(model, restore_best)


class _Run:
    """The bookkeeping around `train`'s loop: checked arguments, the history, callbacks, progress, the best epoch."""

    def __init__(self, model, data, rng, rule, learning_rate, schedule, hyper, epochs, batch_size, callbacks,
                 progress, on_divergence, train_acc_samples, frozen, lr_scale):
        _check_data(data)
        check_generator("rng", rng)
        self.rule = rule
        self.update, self.schedule, self.hyper = _rule_hyper(rule, learning_rate, schedule, hyper)
        check_int("epochs", epochs, minimum=1)
        n = len(data["X_train"])
        check_int("batch_size", batch_size, minimum=1)
        if batch_size > n:
            raise ValueError(f"batch_size must be at most the {n} training examples, got {batch_size}")
        check_choice("on_divergence", on_divergence, ("raise", "stop"))
        self.on_divergence = on_divergence
        frozen, self.lr_scale = set(frozen), dict(lr_scale or {})
        for name in (*frozen, *self.lr_scale):
            if name not in model.params:
                raise ValueError(f"frozen and lr_scale name parameters of the model; {name!r} is not one of "
                                 f"{sorted(model.params)}")
        for name, factor in self.lr_scale.items():
            check_positive(f"lr_scale[{name!r}]", factor)  # 0 would be "frozen": say so with frozen
        self.trained = [name for name in model.params if name not in frozen]
        self.states = {name: {} for name in self.trained}
        step_hooks = [getattr(c, "on_step", c if callable(c) else None) for c in callbacks]
        self.step_hooks = [h for h in step_hooks if h is not None]
        self.epoch_hooks = [c.on_epoch for c in callbacks if hasattr(c, "on_epoch")]
        self.sample = rng.choice(n, size=min(train_acc_samples, n), replace=False)  # fixed for comparable curves
        self.history = History(steps_per_epoch=n // batch_size)
        self.bar = _progress_bar(epochs * self.history.steps_per_epoch, progress)
        self.epoch_start = None

    def start_epoch(self):
        self.epoch_start = time.perf_counter()

    def loss_is_finite(self, t, epoch, loss, lr):
        """Record the step's loss and rate; on a NaN or inf loss raise, or note the divergence and return False."""
        self.history.loss.append(loss)
        self.history.lr.append(lr)
        if math.isfinite(loss):
            return True
        _diverged(self.history, t, epoch, loss, lr, self.rule, self.on_divergence)
        return False

    def updates(self, before, params):
        """x_next - x of every parameter, for the step callbacks (computed only when there are some)."""
        return {k: params[k] - before[k] for k in before} if self.step_hooks else None

    def end_step(self, info):
        for hook in self.step_hooks:
            hook(info)
        self.bar.update(1)

    def end_epoch(self, model, data, epoch):
        _end_epoch(model, data, self.sample, self.history, epoch, time.perf_counter() - self.epoch_start)
        self.bar.set_postfix(epoch=epoch, loss=f"{self.history.epoch_loss[-1]:.3f}",
                             val_acc=f"{self.history.val_acc[-1]:.3f}")
        for hook in self.epoch_hooks:
            hook(EpochInfo(epoch, self.history, model.params))

    def finish(self, model, restore_best):
        history = self.history
        if restore_best and history.best_params:
            model.params.update({k: v.copy() for k, v in history.best_params.items()})
            if history.best_running:
                model.running.update(history.best_running)
        return history


INIT_LOSS_LIMIT = 100.0  # a fresh network's loss is near ln(classes); far above it at step 0, the init is to blame


def _diverged(history, t, epoch, loss, lr, rule, on_divergence):
    """Stop on a NaN or infinite loss: raise, or leave the message in the history."""
    first = history.loss[0]  # before any update: no learning rate has acted on it yet
    if not math.isfinite(first) or first > INIT_LOSS_LIMIT:
        history.divergence_cause = "init"
        advice = _("the loss was already {first:.3g} at step 0, before any update: the initial weights are far too "
                   "large (check the initialisation; a smaller learning rate will not fix it)", first=first)
    else:
        history.divergence_cause = "learning_rate"
        advice = _("try a learning rate about 10x smaller")
    message = _("training diverged at step {t} (epoch {epoch}): the loss is {loss} with learning rate {lr:.3g} "
                "({rule}); {advice}", t=t, epoch=epoch, loss=loss, lr=lr, rule=rule, advice=advice)
    if on_divergence == "raise":
        raise TrainingDiverged(message, history)
    history.diverged = message


def _end_epoch(model, data, sample, history, epoch, seconds):
    """Evaluate after an epoch, append to the history, and keep the best parameters so far."""
    train_acc, _unused = _evaluate(model, data["X_train"][sample], data["y_train"][sample])
    val_acc, val_loss = _evaluate(model, data["X_val"], data["y_val"])
    history.epoch_loss.append(float(np.mean(history.loss[-history.steps_per_epoch:])))
    history.train_acc.append(train_acc)
    history.val_acc.append(val_acc)
    history.val_loss.append(val_loss)
    history.epoch_time.append(seconds)
    if val_acc > history.best_val_acc:
        history.best_val_acc, history.best_epoch = val_acc, epoch
        history.best_params = {k: v.copy() for k, v in model.params.items()}
        history.best_running = dict(getattr(model, "running", {}))  # batch norm's statistics go with them


def _progress_bar(total, enabled):
    """A tqdm bar (the notebook widget in Jupyter, text elsewhere), or a silent stand-in."""
    if not enabled:
        return _NoBar()
    from tqdm.auto import tqdm

    return tqdm(total=total, unit=_("step"), desc=_("training"), leave=False)


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n):
        pass

    def set_postfix(self, **kwargs):
        pass

    def close(self):
        pass
