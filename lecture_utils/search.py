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


def random_search(objective, space, num_trials, *, seed, executor=None, log_path=None, on_trial=None):
    """Random search: num_trials parameter sets drawn from `space` ({name: sampler}), each scored by
    objective(params, trial_seed) -> float. See run_trials for executor, log_path and on_trial."""
    _check_space(space)
    check_int("num_trials", num_trials, minimum=1)
    check_int("seed", seed, minimum=0)
    planned = {}
    for i in range(num_trials):
        rng = trial_rng(seed, i)
        planned[i] = {name: sampler.sample(rng) for name, sampler in space.items()}
    return run_trials(objective, planned, seed=seed, executor=executor, log_path=log_path, on_trial=on_trial)


def grid_search(objective, grid, *, seed, executor=None, log_path=None, on_trial=None):
    """Grid search: every combination of the value lists in `grid` ({name: [values]})."""
    if not isinstance(grid, dict) or not grid or any(len(v) == 0 for v in grid.values()):
        raise ValueError(f"grid must be a non-empty dict of non-empty value lists, got {grid!r}")
    check_int("seed", seed, minimum=0)
    names = list(grid)
    planned = {i: dict(zip(names, map(float, combo))) for i, combo in enumerate(itertools.product(*grid.values()))}
    return run_trials(objective, planned, seed=seed, executor=executor, log_path=log_path, on_trial=on_trial)


def important_parameter_objective(params, seed):
    """Bergstra and Bengio's set-up: a score that depends strongly on `important` (in [0, 1]) and hardly
    on `unimportant`; its best is at important = 0.72. Deterministic; `seed` is unused."""
    important, unimportant = params["important"], params["unimportant"]
    return float(np.exp(-((important - 0.72) ** 2) / 0.01) + 0.02 * np.sin(6 * unimportant))
