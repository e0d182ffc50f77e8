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
from concurrent.futures import as_completed
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .._validation import check_int
from ..models import FullyConnectedNet
from ..training import accuracy, train
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


def _best_trial(trials):
    """The trial with the highest finite score."""
    return max((t for t in trials if math.isfinite(t.score)), key=lambda t: t.score)


def at_edge(trials, space, *, fraction=0.1):
    """The names of the LogUniform or Uniform parameters whose best value lies in the outer `fraction` of its range
    (in log10 for LogUniform): the lecture's warning that the best may lie outside the range searched."""
    best = _best_trial(trials)
    edge = []
    for name, sampler in space.items():
        if isinstance(sampler, (LogUniform, Uniform)):
            scale = math.log10 if isinstance(sampler, LogUniform) else float
            low, high, value = scale(sampler.low), scale(sampler.high), scale(best.params[name])
            if min(value - low, high - value) < fraction * (high - low):
                edge.append(name)
    return edge


def edge_position(value, sampler):
    """Where `value` lies in the sampler's range: 0 at low, 1 at high (measured in log10 for a LogUniform)."""
    scale = math.log10 if isinstance(sampler, LogUniform) else float
    return (scale(value) - scale(sampler.low)) / (scale(sampler.high) - scale(sampler.low))


def edge_report(trials, space, *, fraction=0.1):
    """at_edge with its reasons: (the names at_edge returns, one line per LogUniform or Uniform parameter saying
    where the best trial's value lies in its range and, at an edge, which way the lecture's rule widens it)."""
    edge = at_edge(trials, space, fraction=fraction)
    best = _best_trial(trials)
    lines = []
    for name, sampler in space.items():
        if not isinstance(sampler, (LogUniform, Uniform)):
            continue
        up = edge_position(best.params[name], sampler)
        advice = "inside"
        if name in edge:
            side, beyond = ("low", f"below {sampler.low:.1e}") if up < 0.5 else ("high", f"above {sampler.high:.1e}")
            advice = f"at the {side} edge: widen the range {beyond}"
        lines.append(f"{name}: best {best.params[name]:.2e}, {up:.0%} of the way up its range "
                     f"{sampler.low:.1e} .. {sampler.high:.1e}: {advice}")
    return edge, lines


def beyond_edge(space, trials, names, *, decades=1.0):
    """The space just past the edge where the best trial lies, for each parameter in `names`: a LogUniform range is
    replaced by the `decades` beyond its nearer end (a Uniform range by its own width beyond it); the other
    parameters keep their ranges. The search there tests whether the best lies outside the range searched."""
    best = _best_trial(trials)
    extended = dict(space)
    for name in names:
        sampler = space[name]
        high_side = edge_position(best.params[name], sampler) >= 0.5
        if isinstance(sampler, LogUniform):
            factor = 10.0 ** decades
            extended[name] = (LogUniform(sampler.high, sampler.high * factor) if high_side
                              else LogUniform(sampler.low / factor, sampler.low))
        elif isinstance(sampler, Uniform):
            width = sampler.high - sampler.low
            extended[name] = (Uniform(sampler.high, sampler.high + width) if high_side
                              else Uniform(sampler.low - width, sampler.low))
        else:
            raise TypeError(f"space[{name!r}] must be a LogUniform or Uniform to be extended, got {sampler!r}")
    return extended


class TrainingObjective:
    """objective(params, seed) -> the best validation accuracy of a FullyConnectedNet trained on the course data
    with learning rate params["lr"] and L2 strength params["reg"] (the lecture's search).

    It holds only its settings, so it pickles cheaply to other processes; each worker loads the data once.
    A run whose loss became NaN or inf before its first epoch ended scores the accuracy of its broken
    weights (about chance). (The notes' two "val acc: 0.079000" lines are not such runs: their learning rates are
    tiny, 1.8e-5 and 5.4e-6, and their regularization huge, 1.2e3 and 1.6e4: the penalty crushed the weights.)
    """

    def __init__(self, *, hidden_dims=(50,), epochs=1, num_train=5000, rule="sgd_momentum", batch_size=100,
                 full=False):
        check_int("epochs", epochs, minimum=1)
        check_int("num_train", num_train, minimum=batch_size)
        self.hidden_dims, self.epochs, self.num_train = tuple(hidden_dims), epochs, num_train
        self.rule, self.batch_size, self.full = rule, batch_size, full

    def _trained(self, params, seed):
        """(data, network, history) of the run with these params and seed."""

        data = course_features(self.num_train, self.full)
        net = FullyConnectedNet(self.hidden_dims, data["X_train"].shape[1], 10, reg=params["reg"], seed=seed)
        history = train(net, data, rng=np.random.default_rng(seed), rule=self.rule, learning_rate=params["lr"],
                        epochs=self.epochs, batch_size=self.batch_size, on_divergence="stop")
        return data, net, history

    def __call__(self, params, seed):

        data, net, history = self._trained(params, seed)
        if history.best_epoch:
            return history.best_val_acc
        with np.errstate(all="ignore"):
            return accuracy(net, data["X_val"], data["y_val"])

    @property
    def num_val(self):
        """The number of validation images behind every score (it sets the scores' noise)."""
        return len(course_features(self.num_train, self.full)["y_val"])

    def hits(self, params, seed):
        """Train the same run again (these params and seed) and return (N_val,) bool: which validation images its
        network classifies right. Their mean is the run's score (with the BLAS thread count the run had), so two
        runs can be compared image by image (noise.paired_difference)."""
        data, net, _ = self._trained(params, seed)
        with np.errstate(all="ignore"):
            return np.argmax(net.loss(data["X_val"]), axis=1) == data["y_val"]

    def __repr__(self):
        return (f"TrainingObjective(hidden_dims={self.hidden_dims}, epochs={self.epochs}, num_train={self.num_train}, "
                f"rule={self.rule!r}, batch_size={self.batch_size}, full={self.full})")


# ---- the study notes' log (notebook 06): the lecture's two searches, copied line by line ----

NOTES_COARSE_LOG = """\
val acc: 0.412000, lr: 1.405206e-04, reg: 4.793564e-01, (1 / 100)
val acc: 0.214000, lr: 7.231888e-06, reg: 2.321281e-04, (2 / 100)
val acc: 0.208000, lr: 2.119571e-06, reg: 8.011857e+01, (3 / 100)
val acc: 0.196000, lr: 1.551131e-05, reg: 4.374936e-05, (4 / 100)
val acc: 0.079000, lr: 1.753300e-05, reg: 1.200424e+03, (5 / 100)
val acc: 0.223000, lr: 4.215128e-05, reg: 4.196174e+01, (6 / 100)
val acc: 0.441000, lr: 1.750259e-04, reg: 2.110807e-04, (7 / 100)
val acc: 0.241000, lr: 6.749231e-05, reg: 4.226413e+01, (8 / 100)
val acc: 0.482000, lr: 4.296863e-04, reg: 6.642555e-01, (9 / 100)
val acc: 0.079000, lr: 5.401602e-06, reg: 1.599828e+04, (10 / 100)
val acc: 0.154000, lr: 1.618508e-06, reg: 4.925252e-01, (11 / 100)
"""

NOTES_FINE_LOG = """\
val acc: 0.527000, lr: 5.340517e-04, reg: 4.097824e-01, (0 / 100)
val acc: 0.492000, lr: 2.279484e-04, reg: 9.991345e-04, (1 / 100)
val acc: 0.512000, lr: 8.680827e-04, reg: 1.349727e-02, (2 / 100)
val acc: 0.461000, lr: 1.028377e-04, reg: 1.220193e-02, (3 / 100)
val acc: 0.460000, lr: 1.113730e-04, reg: 5.244309e-02, (4 / 100)
val acc: 0.498000, lr: 9.477776e-04, reg: 2.001293e-03, (5 / 100)
val acc: 0.469000, lr: 1.484369e-04, reg: 4.328313e-01, (6 / 100)
val acc: 0.522000, lr: 5.586261e-04, reg: 2.312685e-04, (7 / 100)
val acc: 0.530000, lr: 5.808183e-04, reg: 8.259964e-02, (8 / 100)
val acc: 0.489000, lr: 1.979168e-04, reg: 1.010889e-04, (9 / 100)
val acc: 0.490000, lr: 2.036031e-04, reg: 2.406271e-03, (10 / 100)
val acc: 0.475000, lr: 2.021162e-04, reg: 2.287807e-01, (11 / 100)
val acc: 0.460000, lr: 1.135527e-04, reg: 3.905040e-02, (12 / 100)
val acc: 0.515000, lr: 6.947668e-04, reg: 1.562808e-02, (13 / 100)
val acc: 0.531000, lr: 9.471549e-04, reg: 1.433895e-03, (14 / 100)
val acc: 0.509000, lr: 3.140888e-04, reg: 2.857518e-01, (15 / 100)
val acc: 0.514000, lr: 6.438349e-04, reg: 3.033781e-01, (16 / 100)
val acc: 0.502000, lr: 3.921784e-04, reg: 2.707126e-04, (17 / 100)
val acc: 0.509000, lr: 9.752279e-04, reg: 2.850865e-03, (18 / 100)
val acc: 0.500000, lr: 2.412048e-04, reg: 4.997821e-04, (19 / 100)
val acc: 0.466000, lr: 1.319314e-04, reg: 1.189915e-02, (20 / 100)
val acc: 0.516000, lr: 8.039527e-04, reg: 1.528291e-02, (21 / 100)
"""


def parse_log(text, score_name="val acc"):
    """Trials from lines in the lecture's format (format_trial's output), indexed by their position in `text`
    (the printed counts are ignored: the notes' second list counts from 0)."""
    trials = []
    for line in text.strip().splitlines():
        fields = [f.strip() for f in line.rsplit(", (", 1)[0].split(",")]
        values = dict(f.split(": ", 1) for f in fields)
        score = float(values.pop(score_name))
        trials.append(Trial(len(trials), {k: float(v) for k, v in values.items()}, score))
    return trials


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
