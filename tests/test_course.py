"""The course as a whole: the contract's names, the notebooks' hygiene, the helpers notebook 00 uses."""
import importlib
import json
import re
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent

CONTRACT = {  # ../shared/CONTRACT.md: notebooks, exercises and tests call exactly these names
    "optim": "sgd sgd_momentum nesterov adagrad rmsprop adam adamw RULES",
    "schedules": "constant step_decay exponential_decay inverse_time_decay cosine_decay linear_warmup cosine_restarts",
    "activations": " ".join(f"{a}_forward {a}_backward" for a in
                            "sigmoid tanh relu leaky_relu elu prelu maxout".split()) + " ACTIVATIONS",
    "layers": "affine_forward affine_backward batchnorm_forward batchnorm_backward RunningStats layernorm_forward "
              "layernorm_backward dropout_forward dropout_backward conv_forward conv_backward max_pool_forward "
              "max_pool_backward",
    "losses": "softmax_loss svm_loss l2_penalty l1_penalty elastic_net_penalty",
    "init": "init_weights",
    "gradcheck": "numerical_gradient numerical_gradient_array rel_error",
    "models": "FullyConnectedNet",
    "datasets": "read_idx load_fashion_mnist DatasetError",
}


@pytest.mark.parametrize("module", sorted(CONTRACT))
def test_contract_names_exist(module):
    m = importlib.import_module(f"lecture_utils.{module}")
    missing = [name for name in CONTRACT[module].split() if not hasattr(m, name)]
    assert not missing


def test_core_imports_numpy_alone():
    import subprocess
    import sys

    code = ("import sys; import lecture_utils.training, lecture_utils.models, lecture_utils.splits, "
            "lecture_utils.preprocessing, lecture_utils.course.environment; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'scipy', 'sklearn', 'tqdm') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_notebooks_are_numbered_and_start_with_00():
    names = [p.name for p in NOTEBOOKS]
    assert names and names[0] == "00_setup_and_recap.ipynb"
    assert all(name[:2].isdigit() and name[2] == "_" for name in names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_stored_clean(path):
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code), "clear the outputs before committing"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    text = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "Key takeaways" in text and "핵심 정리" in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_have_the_shape_contributing_asks_for(path):
    nb = json.loads(path.read_text())
    first = "".join(nb["cells"][0]["source"])
    assert "estimated time" in first and "By the end of this notebook" in first and "한국어" in first
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert sum("assert " in src for src in code) >= 3, "claims are checked by asserts"
    assert any("### BEGIN SOLUTION" in src for src in code), "at least one exercise"
    assert any("_panel(" in src for src in code), "at least one slider panel"
    imports = [i for i, src in enumerate(code) if re.search(r"^(import|from) ", src, re.M)]
    assert len(imports) <= 2, "imports live in the setup cell (and the environment check)"


def test_environment_report_lists_every_requirement():
    from lecture_utils.course import environment

    names = [name for name, _, _ in environment.requirements()]
    assert names == ["numpy", "jupyterlab", "ipywidgets", "matplotlib", "nbval", "tqdm", "scipy", "scikit-learn",
                     "threadpoolctl"]
    checks = environment.check_environment()
    assert {c.item for c in checks} >= set(names) | {"Python", "data subset"}
    assert all(c.ok for c in checks if c.item in ("Python", "data subset", "numpy"))
    assert "PROBLEM" not in environment.report([environment.Check("x", True, "fine")])
    assert environment.report([environment.Check("x", False, "install it")]).startswith("PROBLEM")


def test_environment_names_a_missing_package(tmp_path):
    from lecture_utils.course import environment

    fake = tmp_path / "requirements.txt"
    fake.write_text("surely-not-installed-package>=1.0,<2\nnumpy>=0.1,<0.2\n")
    assert environment.requirements(fake) == [("surely-not-installed-package", "1.0", "2"), ("numpy", "0.1", "0.2")]
    checks = {c.item: c for c in environment.check_environment(fake)}
    missing, numpy = checks["surely-not-installed-package"], checks["numpy"]
    assert not missing.ok and "is not installed" in missing.message and "make lab" in missing.message
    assert not numpy.ok and "tested with >=0.1,<0.2" in numpy.message


def test_plots_draw(rng):
    from lecture_utils.course import plotting
    from lecture_utils.training import History

    images, labels = rng.integers(0, 255, (30, 28, 28)).astype(np.uint8), np.repeat(np.arange(3), 10)
    fig = plotting.plot_class_grid(images, labels, ["a", "b", "c"], per_class=4, rng=rng)
    assert len(fig.axes) == 12
    history = History(loss=[2.3, 2.0, 1.5, 1.2], lr=[0.1] * 4, epoch_loss=[2.1, 1.3], train_acc=[0.5, 0.7],
                      val_acc=[0.4, 0.6], val_loss=[2.0, 1.4], steps_per_epoch=2, best_epoch=2)
    assert len(plotting.plot_history(history, title="t").axes) == 2  # a constant rate: named, not drawn
    history.lr = [0.1, 0.1, 0.05, 0.05]
    assert len(plotting.plot_history(history, title="t").axes) == 3  # a schedule: its own panel
    assert len(plotting.plot_gradcheck(np.ones(5), np.ones(5) + 1e-9).axes) == 2
    matplotlib.pyplot.close("all")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_panels_start_where_the_benchmark_times_them(path):
    """The values a notebook passes to its panel are the defaults that make bench times (seed=SEED is 0)."""
    import ast

    from lecture_utils.experiments.panels import COMPUTATIONS

    nb = json.loads(path.read_text())
    calls = [node for c in nb["cells"] if c["cell_type"] == "code"
             for node in ast.walk(ast.parse("".join(c["source"])))
             if isinstance(node, ast.Call) and getattr(node.func, "id", "").endswith("_panel")]
    assert calls
    for call in calls:
        _, defaults = COMPUTATIONS[call.func.id]
        given = {kw.arg: (0 if isinstance(kw.value, ast.Name) and kw.value.id == "SEED" else ast.literal_eval(kw.value))
                 for kw in call.keywords}
        assert given == defaults, call.func.id
