"""Hyperparameter search: random and grid search over parameter samplers, on any concurrent.futures.Executor,
with a JSON-lines log that lets an interrupted search resume without repeating a trial.

A trial's parameters depend only on (seed, trial index), never on the order in which trials finish, so the
same search gives the same results in-process, on a process pool, or on a Dask cluster
(`distributed.Client(...).get_executor()`).
"""
import itertools
import json
import math
import os
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ._checks import check_int
from .softmax_demo import course_features, softmax_trials


class LogUniform(NamedTuple):
    """A value whose log10 is uniform between log10(low) and log10(high): the lecture's way to sample lr and reg."""

    low: float
    high: float

    def sample(self, rng):
        return float(10 ** rng.uniform(math.log10(self.low), math.log10(self.high)))


class Uniform(NamedTuple):
    """A value uniform between low and high."""

    low: float
    high: float

    def sample(self, rng):
        return float(rng.uniform(self.low, self.high))


class Choice(NamedTuple):
    """One of a list of values, each equally likely."""

    values: tuple

    def sample(self, rng):
        return self.values[int(rng.integers(len(self.values)))]


class Trial(NamedTuple):
    index: int
    params: dict
    score: float


def _check_space(space):
    if not isinstance(space, dict) or not space:
        raise ValueError(f"space must be a non-empty dict of samplers, got {space!r}")
    for name, sampler in space.items():
        if not hasattr(sampler, "sample"):
            raise ValueError(f"space[{name!r}] must be a sampler (LogUniform, Uniform, Choice), got {sampler!r}")
        if isinstance(sampler, LogUniform) and not 0 < sampler.low < sampler.high:
            raise ValueError(f"space[{name!r}] must have 0 < low < high, got {sampler!r}")


def trial_rng(seed, index):
    """The generator of one trial: independent of every other trial and of the order they run in."""
    return np.random.default_rng([seed, index])


def format_trial(trial, total, score_name="val acc"):
    """The lecture's line: `val acc: 0.412000, lr: 1.405206e-04, reg: 4.793564e-01, (1 / 100)`."""
    values = ", ".join(f"{k}: {v:e}" if isinstance(v, float) else f"{k}: {v}" for k, v in trial.params.items())
    return f"{score_name}: {trial.score:f}, {values}, ({trial.index + 1} / {total})"


def _read_log(log_path, planned):
    """Trials already in the log, checked against the planned parameters of the same search."""
    done = {}
    if log_path is None or not Path(log_path).exists():
        return done
    for number, line in enumerate(Path(log_path).read_text().splitlines(), start=1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by an interruption: that trial runs again
        index = record.get("index")
        if index not in planned or record.get("params") != planned[index]:
            raise ValueError(f"log_path {log_path} line {number} holds a trial of another search "
                             f"({record!r}); use a new log file or the same space, seed and trial count")
        done[index] = Trial(index, record["params"], float(record["score"]))
    return done


def _end_cut_line(log_path):
    """Close a last line cut short by an interruption, so the next record starts on a line of its own."""
    if log_path is None or not Path(log_path).exists() or Path(log_path).stat().st_size == 0:
        return
    with open(log_path, "rb+") as f:
        f.seek(-1, os.SEEK_END)
        if f.read(1) != b"\n":
            f.write(b"\n")


def _append(log_path, trial):
    if log_path is None:
        return
    with open(log_path, "a") as f:
        f.write(json.dumps({"index": trial.index, "params": trial.params, "score": trial.score}) + "\n")
        f.flush()
        os.fsync(f.fileno())


def run_trials(objective, planned, *, seed, executor=None, log_path=None, on_trial=None):
    """Run objective(params, trial_seed) for each planned {index: params} not yet in the log.

    Returns: every trial (logged and new), sorted by index.
    """
    done = _read_log(log_path, planned)
    _end_cut_line(log_path)
    pending = [i for i in sorted(planned) if i not in done]
    finished = []

    def record(trial):
        _append(log_path, trial)
        finished.append(trial)
        if on_trial is not None:
            on_trial(trial)

    if executor is None:  # in-process, in order
        for i in pending:
            record(Trial(i, planned[i], float(objective(planned[i], seed + i))))
    else:
        from concurrent.futures import as_completed

        futures = {executor.submit(objective, planned[i], seed + i): i for i in pending}
        for future in as_completed(futures):
            i = futures[future]
            record(Trial(i, planned[i], float(future.result())))
    return sorted([*done.values(), *finished], key=lambda t: t.index)


def process_pool(max_workers=None):
    """A ProcessPoolExecutor whose workers share the cores instead of fighting over them.

    Each worker limits its BLAS library (OpenBLAS, MKL) to cpu_count // max_workers threads with threadpoolctl.
    Without the limit every worker starts as many BLAS threads as the machine has cores: two workers on two
    cores run four busy threads, and notebook 06's fine stage took 52 s instead of 17. A Dask cluster needs no
    such step: its nanny starts each worker with OMP_NUM_THREADS=1 and the like.
    """
    from concurrent.futures import ProcessPoolExecutor

    cores = os.cpu_count() or 1
    if max_workers is None:
        max_workers = cores
    check_int("max_workers", max_workers, minimum=1)
    return ProcessPoolExecutor(max_workers=max_workers, initializer=limit_blas_threads,
                               initargs=(max(1, cores // max_workers),))


def limit_blas_threads(threads):
    """Limit this process's BLAS library to `threads` threads for the rest of its life (a pool's initializer)."""
    from threadpoolctl import threadpool_limits

    global _BLAS_LIMIT
    _BLAS_LIMIT = threadpool_limits(limits=threads, user_api="blas")  # kept: the limit lasts while it is referenced


_BLAS_LIMIT = None


def sample_trials(space, num_trials, *, seed):
    """The parameters of trials 0 .. num_trials - 1 of a random search: a list of {name: value}, trial i drawn
    from its own generator trial_rng(seed, i)."""
    _check_space(space)
    check_int("num_trials", num_trials, minimum=1)
    check_int("seed", seed, minimum=0)
    trials = []
    for i in range(num_trials):
        rng = trial_rng(seed, i)  # one generator per trial, shared by its parameters in the space's order
        trials.append({name: sampler.sample(rng) for name, sampler in space.items()})
    return trials


def random_search(objective, space, num_trials, *, seed, executor=None, log_path=None, on_trial=None):
    """Random search: num_trials parameter sets drawn from `space` ({name: sampler}), each scored by
    objective(params, trial_seed) -> float. See run_trials for executor, log_path and on_trial."""
    planned = dict(enumerate(sample_trials(space, num_trials, seed=seed)))
    return run_trials(objective, planned, seed=seed, executor=executor, log_path=log_path, on_trial=on_trial)


def grid_search(objective, grid, *, seed, executor=None, log_path=None, on_trial=None):
    """Grid search: every combination of the value lists in `grid` ({name: [values]})."""
    if not isinstance(grid, dict) or not grid or any(len(v) == 0 for v in grid.values()):
        raise ValueError(f"grid must be a non-empty dict of non-empty value lists, got {grid!r}")
    check_int("seed", seed, minimum=0)
    names = list(grid)
    planned = {i: dict(zip(names, map(float, combo))) for i, combo in enumerate(itertools.product(*grid.values()))}
    return run_trials(objective, planned, seed=seed, executor=executor, log_path=log_path, on_trial=on_trial)


IMPORTANT_OPTIMUM = 0.72


def important_effect(x):
    """The important parameter's share of important_parameter_objective: a peak of height 1 at 0.72."""
    return np.exp(-((np.asarray(x) - IMPORTANT_OPTIMUM) ** 2) / 0.01)


def unimportant_effect(y):
    """The unimportant parameter's share: a ripple of at most 0.02."""
    return 0.02 * np.sin(6 * np.asarray(y))


def important_parameter_objective(params, seed):
    """Bergstra and Bengio's set-up: a score that depends strongly on `important` (in [0, 1]) and hardly
    on `unimportant`; its best is at important = 0.72. Deterministic; `seed` is unused."""
    return float(important_effect(params["important"]) + unimportant_effect(params["unimportant"]))


# ---- coarse to fine (notebook 06) ----

def narrow_space(trials, space, *, top=5):
    """The fine stage's space: each LogUniform or Uniform range shrunk to the values of the `top` best trials
    (a LogUniform stays log-uniform); other samplers are kept. trials: Trials of a search over `space`."""
    _check_space(space)
    check_int("top", top, minimum=2)
    scored = [t for t in trials if math.isfinite(t.score)]
    if len(scored) < top:
        raise ValueError(f"top must be at most the {len(scored)} trials with a finite score, got {top}")
    best = sorted(scored, key=lambda t: t.score, reverse=True)[:top]
    narrowed = {}
    for name, sampler in space.items():
        if isinstance(sampler, (LogUniform, Uniform)):
            values = [t.params[name] for t in best]
            low, high = min(values), max(values)
            narrowed[name] = type(sampler)(low, high) if high > low else sampler
        else:
            narrowed[name] = sampler
    return narrowed


def at_edge(trials, space, *, fraction=0.1):
    """The names of the LogUniform or Uniform parameters whose best value lies in the outer `fraction` of its range
    (in log10 for LogUniform): the lecture's warning that the best may lie outside the range searched."""
    best = max((t for t in trials if math.isfinite(t.score)), key=lambda t: t.score)
    edge = []
    for name, sampler in space.items():
        if isinstance(sampler, (LogUniform, Uniform)):
            scale = math.log10 if isinstance(sampler, LogUniform) else float
            low, high, value = scale(sampler.low), scale(sampler.high), scale(best.params[name])
            if min(value - low, high - value) < fraction * (high - low):
                edge.append(name)
    return edge


class TrainingObjective:
    """objective(params, seed) -> the best validation accuracy of a FullyConnectedNet trained on the course data
    with learning rate params["lr"] and L2 strength params["reg"] (the lecture's search).

    It holds only its settings, so it pickles cheaply to other processes; each worker loads the data once.
    A run whose loss became NaN or inf before its first epoch ended scores the accuracy of its broken
    weights (about chance), as the lecture's log does (its "val acc: 0.079000" lines).
    """

    def __init__(self, *, hidden_dims=(50,), epochs=1, num_train=5000, rule="sgd_momentum", batch_size=100,
                 full=False):
        check_int("epochs", epochs, minimum=1)
        check_int("num_train", num_train, minimum=batch_size)
        self.hidden_dims, self.epochs, self.num_train = tuple(hidden_dims), epochs, num_train
        self.rule, self.batch_size, self.full = rule, batch_size, full

    def __call__(self, params, seed):
        from .models import FullyConnectedNet
        from .training import accuracy, train

        data = course_features(self.num_train, self.full)
        net = FullyConnectedNet(self.hidden_dims, data["X_train"].shape[1], 10, reg=params["reg"], seed=seed)
        history = train(net, data, rng=np.random.default_rng(seed), rule=self.rule, learning_rate=params["lr"],
                        epochs=self.epochs, batch_size=self.batch_size, progress=False, on_divergence="stop")
        if history.best_epoch:
            return history.best_val_acc
        with np.errstate(all="ignore"):
            return accuracy(net, data["X_val"], data["y_val"])

    def __repr__(self):
        return (f"TrainingObjective(hidden_dims={self.hidden_dims}, epochs={self.epochs}, num_train={self.num_train}, "
                f"rule={self.rule!r}, batch_size={self.batch_size}, full={self.full})")


# ---- notebook 06's panel: a whole random search in well under a second ----

def coarse_to_fine_demo(lr_range=(-6.0, 1.0), reg_range=(-6.0, 1.0), num_trials=40, *, seed=0, top=5):
    """What notebook 06's panel shows: a random search of num_trials log-uniform (lr, reg) pairs within
    10 ** lr_range and 10 ** reg_range, scored by softmax_trials, and the fine range the `top` best suggest.

    Returns: dict with "trials" (Trials), "space", "fine" (narrow_space), "edge" (at_edge), "best" (a Trial).
    """
    for name, value, low, high in (("lr_range", lr_range, -8.0, 2.0), ("reg_range", reg_range, -8.0, 2.0)):
        if (len(value) != 2 or not all(math.isfinite(v) for v in value) or not low <= value[0] < value[1] <= high):
            raise ValueError(f"{name} must be (low, high) exponents with {low:g} <= low < high <= {high:g}, "
                             f"got {value!r}")
    check_int("num_trials", num_trials, minimum=top)
    space = {"lr": LogUniform(10.0 ** lr_range[0], 10.0 ** lr_range[1]),
             "reg": LogUniform(10.0 ** reg_range[0], 10.0 ** reg_range[1])}
    planned = sample_trials(space, num_trials, seed=seed)
    scores = softmax_trials([p["lr"] for p in planned], [p["reg"] for p in planned], seed=seed)
    trials = [Trial(i, p, float(s)) for i, (p, s) in enumerate(zip(planned, scores))]
    return {"trials": trials, "space": space, "fine": narrow_space(trials, space, top=top),
            "edge": at_edge(trials, space), "best": max(trials, key=lambda t: t.score)}
