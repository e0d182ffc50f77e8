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

from ._validation import as_float_array, check_choice, check_generator, check_int, check_labels, check_positive
from .losses import softmax_loss
from .fast import inplace_twin
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


def accuracy(model, X, y, batch_size=1000):
    """The fraction of rows of X whose highest score is the label y, in test mode."""
    return _evaluate(model, X, y, batch_size)[0]


def _evaluate(model, X, y, batch_size=1000):
    """(accuracy, mean softmax loss) of the model on X, y in test mode."""
    scores = np.concatenate([model.loss(X[i:i + batch_size]) for i in range(0, len(X), batch_size)])
    loss, _ = softmax_loss(scores.astype(np.float64), y)
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


def train(model, data, *, rng, rule="sgd_momentum", learning_rate=None, schedule=None, hyper=None,
          epochs=10, batch_size=100, callbacks=(), progress=True, on_divergence="raise",
          train_acc_samples=1000, restore_best=True, frozen=(), lr_scale=None):
    """Train `model` on `data` with minibatch gradient descent and any rule of optim.RULES.

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
    """
    _check_data(data)
    check_generator("rng", rng)
    update, schedule, hyper = _rule_hyper(rule, learning_rate, schedule, hyper)
    check_int("epochs", epochs, minimum=1)
    n = len(data["X_train"])
    check_int("batch_size", batch_size, minimum=1)
    if batch_size > n:
        raise ValueError(f"batch_size must be at most the {n} training examples, got {batch_size}")
    check_choice("on_divergence", on_divergence, ("raise", "stop"))
    frozen, lr_scale = set(frozen), dict(lr_scale or {})
    for name in (*frozen, *lr_scale):
        if name not in model.params:
            raise ValueError(f"frozen and lr_scale name parameters of the model; {name!r} is not one of "
                             f"{sorted(model.params)}")
    for name, factor in lr_scale.items():
        check_positive(f"lr_scale[{name!r}]", factor)  # 0 would be "frozen": say so with frozen
    trained = [name for name in model.params if name not in frozen]
    step_hooks = [getattr(c, "on_step", c if callable(c) else None) for c in callbacks]
    epoch_hooks = [c.on_epoch for c in callbacks if hasattr(c, "on_epoch")]
    step_hooks = [h for h in step_hooks if h is not None]

    X, y = data["X_train"], data["y_train"]
    sample = rng.choice(n, size=min(train_acc_samples, n), replace=False)  # fixed for comparable curves
    history = History(steps_per_epoch=n // batch_size)
    states = {name: {} for name in trained}
    # the rule's in-place twin (fast.INPLACE_RULES: bitwise the same steps, no new arrays per step) updates
    # copies, so that arrays the caller holds are never changed
    update_ = inplace_twin(update)
    if update_ is not None:
        model.params.update({name: np.array(model.params[name], copy=True) for name in trained})
    bar, t = _progress_bar(epochs * history.steps_per_epoch, progress), 0
    with np.errstate(over="ignore", invalid="ignore"), bar:  # a divergence is reported once, below
        for epoch in range(1, epochs + 1):
            start, order = time.perf_counter(), rng.permutation(n)
            for i in range(history.steps_per_epoch):
                batch = order[i * batch_size:(i + 1) * batch_size]
                lr = schedule(t)
                # forward and backward
                loss, grads = model.loss(X[batch], y[batch], rng=rng)
                history.loss.append(loss)
                history.lr.append(lr)
                if not math.isfinite(loss):
                    _diverged(history, t, epoch, loss, lr, rule, on_divergence)
                    break
                # update
                old = {k: v.copy() for k, v in model.params.items()} if step_hooks else None
                for name in trained:
                    step_lr = lr * lr_scale.get(name, 1.0)
                    if update_ is not None:
                        update_(model.params[name], grads[name], states[name], learning_rate=step_lr, **hyper)
                    else:
                        model.params[name], states[name] = update(model.params[name], grads[name], states[name],
                                                                  learning_rate=step_lr, **hyper)
                if step_hooks:
                    updates = {k: model.params[k] - old[k] for k in old}
                    for hook in step_hooks:
                        hook(StepInfo(t, epoch, loss, lr, model.params, grads, updates))
                t += 1
                bar.update(1)
            if history.diverged:
                break
            # evaluate
            _end_epoch(model, data, sample, history, epoch, time.perf_counter() - start)
            bar.set_postfix(epoch=epoch, loss=f"{history.epoch_loss[-1]:.3f}", val_acc=f"{history.val_acc[-1]:.3f}")
            for hook in epoch_hooks:
                hook(EpochInfo(epoch, history, model.params))
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
        advice = (f"the loss was already {first:.3g} at step 0, before any update: the initial weights are far too "
                  f"large (check the initialisation; a smaller learning rate will not fix it)")
    else:
        advice = "try a learning rate about 10x smaller"
    message = (f"training diverged at step {t} (epoch {epoch}): the loss is {loss} with "
               f"learning rate {lr:.3g} ({rule}); {advice}")
    if on_divergence == "raise":
        raise TrainingDiverged(message, history)
    history.diverged = message


def _end_epoch(model, data, sample, history, epoch, seconds):
    """Evaluate after an epoch, append to the history, and keep the best parameters so far."""
    train_acc, _ = _evaluate(model, data["X_train"][sample], data["y_train"][sample])
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

    return tqdm(total=total, unit="step", leave=False)


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
