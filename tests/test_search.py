"""Hyperparameter search: samplers, grid versus random, the resumable log, and the same results on any executor."""
import json
import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from lecture_utils.search import (Choice, LogUniform, Trial, Uniform, format_trial, grid_search,
                                  important_parameter_objective, random_search)

SPACE = {"important": Uniform(0.0, 1.0), "unimportant": Uniform(0.0, 1.0)}


def test_log_uniform_is_uniform_in_log_space(rng):
    values = np.array([LogUniform(1e-6, 1e-1).sample(rng) for _ in range(4000)])
    assert values.min() >= 1e-6 and values.max() <= 1e-1
    counts = np.histogram(np.log10(values), bins=5, range=(-6, -1))[0]
    assert np.all(np.abs(counts - 800) < 120)  # every decade about equally often
    assert np.mean(values < 1e-2) > 0.7  # where uniform-in-linear would put 90% above 1e-2


def test_choice_and_uniform(rng):
    assert {Choice(("a", "b")).sample(rng) for _ in range(50)} == {"a", "b"}
    assert 2.0 <= Uniform(2.0, 3.0).sample(rng) <= 3.0


def test_random_search_tries_distinct_values_of_the_important_parameter():
    random = random_search(important_parameter_objective, SPACE, 9, seed=0)
    grid = grid_search(important_parameter_objective, {"important": [1 / 6, 1 / 2, 5 / 6],
                                                        "unimportant": [1 / 6, 1 / 2, 5 / 6]}, seed=0)
    assert len({t.params["important"] for t in random}) == 9 and len({t.params["important"] for t in grid}) == 3
    assert max(t.score for t in random) > max(t.score for t in grid)


def test_the_same_seed_gives_the_same_trials_whatever_their_number():
    five, nine = random_search(important_parameter_objective, SPACE, 5, seed=3), \
        random_search(important_parameter_objective, SPACE, 9, seed=3)
    assert five == nine[:5]


def test_log_resumes_without_repeating_a_trial(tmp_path):
    log = tmp_path / "trials.jsonl"
    calls, stop_at = [], [4]

    class Interrupted(Exception):
        pass

    def flaky(params, seed):
        calls.append(seed)
        if len(calls) == stop_at[0]:
            raise Interrupted  # the learner stops the search (or the laptop sleeps)
        return important_parameter_objective(params, seed)

    with pytest.raises(Interrupted):
        random_search(flaky, SPACE, 8, seed=1, log_path=log)
    assert len(log.read_text().splitlines()) == 3
    with open(log, "a") as f:
        f.write('{"index": 3, "par')  # a line cut short by the interruption
    calls.clear()
    stop_at[0] = None  # this time the search runs to the end
    resumed = random_search(flaky, SPACE, 8, seed=1, log_path=log)
    assert sorted(calls) == [1 + i for i in range(3, 8)]  # only the trials not in the log ran
    assert resumed == random_search(important_parameter_objective, SPACE, 8, seed=1)


def test_a_log_of_another_search_is_refused(tmp_path):
    log = tmp_path / "trials.jsonl"
    random_search(important_parameter_objective, SPACE, 2, seed=1, log_path=log)
    with pytest.raises(ValueError, match="another search"):
        random_search(important_parameter_objective, SPACE, 2, seed=2, log_path=log)


def test_log_lines_are_json_with_index_params_and_score(tmp_path):
    log = tmp_path / "trials.jsonl"
    trials = random_search(important_parameter_objective, SPACE, 3, seed=0, log_path=log)
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["index"] for r in records] == [0, 1, 2] and records[1]["params"] == trials[1].params


def test_a_process_pool_gives_the_serial_results():
    serial = random_search(important_parameter_objective, SPACE, 12, seed=4)
    with ProcessPoolExecutor(max_workers=2) as pool:
        parallel = random_search(important_parameter_objective, SPACE, 12, seed=4, executor=pool)
    assert parallel == serial


dask_missing = None
try:
    import distributed  # noqa: F401
except ImportError:
    dask_missing = "Dask is an optional extra (pip install -r requirements-distributed.txt)"
if dask_missing and os.environ.get("REQUIRE_DASK") == "1":
    raise RuntimeError(f"REQUIRE_DASK=1 but {dask_missing}")


@pytest.mark.skipif(dask_missing is not None, reason=dask_missing or "")
def test_a_dask_cluster_gives_the_serial_results():
    from distributed import Client, LocalCluster

    serial = random_search(important_parameter_objective, SPACE, 10, seed=5)
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                      processes=True) as cluster, Client(cluster) as client:
        on_dask = random_search(important_parameter_objective, SPACE, 10, seed=5, executor=client.get_executor())
    assert on_dask == serial


def test_format_is_the_lectures_line():
    trial = Trial(0, {"lr": 1.405206e-04, "reg": 4.793564e-01}, 0.412)
    assert format_trial(trial, 100) == "val acc: 0.412000, lr: 1.405206e-04, reg: 4.793564e-01, (1 / 100)"


@pytest.mark.parametrize("call,name", [
    (lambda: random_search(important_parameter_objective, {}, 3, seed=0), "space"),
    (lambda: random_search(important_parameter_objective, {"lr": 0.1}, 3, seed=0), "space"),
    (lambda: random_search(important_parameter_objective, {"lr": LogUniform(0.0, 1.0)}, 3, seed=0), "space"),
    (lambda: random_search(important_parameter_objective, SPACE, 0, seed=0), "num_trials"),
    (lambda: random_search(important_parameter_objective, SPACE, 3, seed=-1), "seed"),
    (lambda: grid_search(important_parameter_objective, {"a": []}, seed=0), "grid")])
def test_bad_arguments_are_named(call, name):
    with pytest.raises(ValueError, match=name):
        call()
