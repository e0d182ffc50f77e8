"""Hyperparameter search: samplers, grid versus random, the resumable log, and the same results on any executor."""
import json
import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from lecture_utils.experiments.search import (Choice, LogUniform, Trial, Uniform, format_trial, grid_search,
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


def test_a_cut_off_line_does_not_swallow_the_next_record(tmp_path):
    log = tmp_path / "trials.jsonl"
    random_search(important_parameter_objective, SPACE, 2, seed=1, log_path=log)
    with open(log, "a") as f:
        f.write('{"index": 2, "par')  # interrupted while writing trial 2
    calls = []

    def counted(params, seed):
        calls.append(seed)
        return important_parameter_objective(params, seed)

    random_search(counted, SPACE, 4, seed=1, log_path=log)
    assert sorted(calls) == [3, 4]
    calls.clear()
    random_search(counted, SPACE, 4, seed=1, log_path=log)  # a second resume: everything is in the log
    assert calls == []


from lecture_utils.experiments.search import (NOTES_COARSE_LOG, NOTES_FINE_LOG, TrainingObjective, at_edge,  # noqa: E402
                                  beyond_edge, coarse_to_fine_demo, edge_position, edge_report, narrow_space,
                                  parse_log, sample_trials, softmax_trials)


def test_narrow_space_spans_the_best_trials_and_keeps_the_sampler_kind():
    space = {"lr": LogUniform(1e-6, 1.0), "reg": Uniform(0.0, 1.0), "act": Choice(("relu", "tanh"))}
    trials = [Trial(i, {"lr": lr, "reg": reg, "act": "relu"}, score)
              for i, (lr, reg, score) in enumerate([(1e-3, 0.2, 0.9), (1e-2, 0.4, 0.8), (1e-5, 0.9, 0.1),
                                                    (3e-3, 0.3, float("nan")), (2e-3, 0.25, 0.85)])]
    fine = narrow_space(trials, space, top=3)
    assert fine == {"lr": LogUniform(1e-3, 1e-2), "reg": Uniform(0.2, 0.4), "act": space["act"]}
    with pytest.raises(ValueError, match="top"):
        narrow_space(trials, space, top=5)  # only four finite scores


def test_at_edge_names_a_best_value_near_the_end_of_its_range():
    space = {"lr": LogUniform(1e-6, 1.0), "reg": LogUniform(1e-6, 1.0)}
    trials = [Trial(0, {"lr": 0.5, "reg": 1e-3}, 0.9), Trial(1, {"lr": 1e-3, "reg": 1e-3}, 0.5)]
    assert at_edge(trials, space) == ["lr"]


def test_edge_report_explains_at_edge_and_beyond_edge_searches_past_it():
    space = {"lr": LogUniform(1e-4, 1e-3), "reg": LogUniform(1e-4, 1.0), "mom": Uniform(0.5, 1.0)}
    trials = [Trial(0, {"lr": 9.5e-4, "reg": 1e-2, "mom": 0.52}, 0.9),
              Trial(1, {"lr": 2e-4, "reg": 1e-3, "mom": 0.7}, 0.5)]
    edge, lines = edge_report(trials, space)
    assert edge == at_edge(trials, space) == ["lr", "mom"]
    assert len(lines) == 3 and "above 1.0e-03" in lines[0] and "inside" in lines[1] and "below 5.0e-01" in lines[2]
    assert edge_position(1e-2, space["reg"]) == pytest.approx(0.5) and edge_position(0.75, space["mom"]) == 0.5
    past = beyond_edge(space, trials, edge, decades=1.0)
    assert past == {"lr": LogUniform(1e-3, 1e-2), "reg": space["reg"], "mom": Uniform(0.0, 0.5)}


def test_parse_log_reads_the_lecture_format_back():
    trials = parse_log(NOTES_FINE_LOG)
    assert len(trials) == 22 and [t.index for t in trials] == list(range(22))  # positions, not the printed counts
    best = max(trials, key=lambda t: t.score)
    assert best.score == 0.531 and best.params == {"lr": 9.471549e-04, "reg": 1.433895e-03}
    coarse = parse_log(NOTES_COARSE_LOG)
    assert [format_trial(t, 100) for t in coarse] == NOTES_COARSE_LOG.splitlines()  # format_trial's inverse
    assert [t.score for t in coarse].count(0.079) == 2


def test_sample_trials_draws_each_trial_from_its_own_generator():
    space = {"lr": LogUniform(1e-6, 1.0), "reg": LogUniform(1e-6, 1.0)}
    trials = sample_trials(space, 50, seed=0)
    assert sample_trials(space, 3, seed=0) == trials[:3]
    assert len({t["lr"] for t in trials}) == 50
    assert not any(np.isclose(np.log10(t["lr"]), np.log10(t["reg"])) for t in trials)  # not the same draw twice


def test_training_objective_scores_a_real_run_and_pickles_small():
    import pickle

    objective = TrainingObjective(hidden_dims=(20,), epochs=1, num_train=1000)
    assert len(pickle.dumps(objective)) < 1000  # the data are loaded by the worker, not shipped with the task
    good, too_low = objective({"lr": 0.05, "reg": 1e-4}, 0), objective({"lr": 1e-7, "reg": 1e-4}, 0)
    assert good > 0.45 and too_low < 0.3  # ten steps: far from trained, but clearly learning
    assert objective({"lr": 0.05, "reg": 1e-4}, 0) == good  # deterministic for a seed
    broken = objective({"lr": 1e4, "reg": 1e-4}, 0)  # diverges in the first epoch
    assert 0.0 <= broken < 0.2
    hits = objective.hits({"lr": 0.05, "reg": 1e-4}, 0)  # the same run again, image by image
    assert hits.dtype == bool and hits.mean() == good


def test_training_objective_on_a_process_pool_gives_the_serial_results():
    objective = TrainingObjective(hidden_dims=(20,), epochs=1, num_train=1000)
    space = {"lr": LogUniform(1e-3, 1e-1), "reg": LogUniform(1e-5, 1e-1)}
    serial = random_search(objective, space, 4, seed=2)
    with ProcessPoolExecutor(max_workers=2) as pool:
        assert random_search(objective, space, 4, seed=2, executor=pool) == serial


def test_softmax_trials_are_independent_of_each_other():
    alone = softmax_trials([0.1], [1e-3], seed=3)
    together = softmax_trials([1e-6, 0.1, 50.0], [1e-2, 1e-3, 10.0], seed=3)
    assert together[1] == alone[0]
    assert together[0] < 0.3 and together[1] > 0.7 and together[2] < 0.2  # too low, good, diverged
    with pytest.raises(ValueError, match="lrs and regs"):
        softmax_trials([0.1, 0.2], [1e-3])


@pytest.mark.parametrize("lr_range,reg_range,num_trials,seed", [
    ((-6.0, 1.0), (-6.0, 1.0), 40, 0), ((-8.0, 2.0), (-8.0, 2.0), 100, 1), ((-1.0, -0.75), (-3.0, -2.75), 5, 2**31 - 1),
    ((1.5, 2.0), (1.5, 2.0), 5, 0), ((-8.0, -7.75), (-8.0, 2.0), 20, 3)])
def test_coarse_to_fine_demo_over_the_slider_range(lr_range, reg_range, num_trials, seed):
    result = coarse_to_fine_demo(lr_range, reg_range, num_trials, seed=seed)
    trials = result["trials"]
    assert len(trials) == num_trials and all(0.0 <= t.score <= 1.0 for t in trials)
    for name, (lo, hi) in (("lr", lr_range), ("reg", reg_range)):
        assert all(10**lo <= t.params[name] <= 10**hi for t in trials)
        fine = result["fine"][name]
        assert 10**lo <= fine.low <= fine.high <= 10**hi
    assert result["best"].score == max(t.score for t in trials)


def test_coarse_to_fine_demo_finds_the_good_region_at_the_defaults():
    result = coarse_to_fine_demo()
    assert result["best"].score > 0.7 and 1e-2 < result["best"].params["lr"] < 10
    assert result["fine"]["lr"].low > 1e-3  # the fine stage drops the learning rates that were too low


@pytest.mark.parametrize("kwargs,name", [({"lr_range": (1.0, -6.0)}, "lr_range"), ({"lr_range": (-9.0, 0.0)}, "lr_range"),
                                         ({"reg_range": (0.0, float("nan"))}, "reg_range"),
                                         ({"num_trials": 3}, "num_trials")])
def test_coarse_to_fine_demo_refuses_bad_values(kwargs, name):
    with pytest.raises(ValueError, match=name):
        coarse_to_fine_demo(**kwargs)


def _blas_threads(_):
    from threadpoolctl import threadpool_info

    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_process_pool_workers_share_the_cores():
    """Each of k workers gets cpu_count // k BLAS threads, so k workers never oversubscribe the machine."""
    from lecture_utils.experiments.search import process_pool

    cores = os.cpu_count() or 1
    with process_pool(max_workers=2) as pool:
        threads = list(pool.map(_blas_threads, range(4)))
    assert threads and all(t == [max(1, cores // 2)] * len(t) and t for t in threads)
    with pytest.raises(ValueError, match="max_workers"):
        process_pool(max_workers=0)


def test_coarse_to_fine_panel_follows_its_range_sliders(monkeypatch, capsys):
    import matplotlib

    matplotlib.use("Agg")
    from lecture_utils.course import widgets

    monkeypatch.setattr(widgets, "display", lambda box: None)
    box = widgets.coarse_to_fine_panel(lr_range=(-6.0, 1.0), reg_range=(-6.0, 1.0), num_trials=40, seed=0)
    lr_range, reg_range, trials, seed = box.children[1].children
    assert lr_range.value == (-6.0, 1.0) and trials.value == 40
    lr_range.value = (-3.0, 0.0)
    result = box.state["result"]
    assert all(1e-3 <= t.params["lr"] <= 1.0 for t in result["trials"])
    lr_range.value = (-2.0, -2.0)  # both handles on one value: a message, not an error
    assert box.state["result"] is None and "give each range some width" in capsys.readouterr().out
