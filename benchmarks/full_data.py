"""Full Fashion-MNIST with the course's own package and training loop: test accuracy against wall time.

    make full-data      (or: .venv/bin/python benchmarks/full_data.py [--model fc|cnn|both] [--out DIR])

Needs the full data set (apt-get install dataset-fashion-mnist, or `python -m lecture_utils.datasets download DEST`).
Trains on the 55,000 training images (5,000 held out for validation, as load_course_data(full=True) splits them) and
measures the 10,000 test images after every epoch. The clock counts training and the loop's own end-of-epoch
validation; the test-set evaluation is timed separately and left out. Writes DIR/full_data.json (settings, machine,
the curves; rerunning one model keeps the other's entry) and DIR/full_data.png (the plot), and prints when each model
first reached its goal.

Goals (issue #11) beside the Fashion-MNIST benchmark table (github.com/zalandoresearch/fashion-mnist):
- fully connected: at least 0.90 within 30 s of training (the table's MLP 256-128-100: 0.8833);
- small convolutional network: at least 0.92 within 10 minutes (the table's "2 Conv+pooling": 0.916).
"""
import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

from lecture_utils.experiments.transfer import SourceNet
from lecture_utils.models import FullyConnectedNet
from lecture_utils.preprocessing import preprocess
from lecture_utils.schedules import cosine_decay
from lecture_utils.splits import load_course_data
from lecture_utils.training import train

ROOT = Path(__file__).resolve().parent.parent

SETTINGS = {
    "fc": dict(model="FullyConnectedNet([512, 256], 784, 10, normalization='batchnorm', keep_prob=0.8, seed=0)",
               preprocessing="standardize", rule="adam", lr0=3e-3, schedule="cosine decay to 0 over all steps",
               batch_size=512, epochs=16, goal=0.90, budget_seconds=30, table=("MLP 256-128-100", 0.8833)),
    "cnn": dict(model="SourceNet(10, channels=(32, 64), hidden=256, seed=0): "
                      "conv3x3(32)-ReLU-pool2-conv3x3(64)-ReLU-pool2-fc(256)-ReLU-fc(10)",
                preprocessing="center", rule="adam", lr0=1e-3, schedule="cosine decay to 0 over all steps",
                batch_size=128, epochs=12, goal=0.92, budget_seconds=600, table=("2 Conv+pooling", 0.916)),
}


class TestClock:
    """on_epoch: test accuracy, and the training seconds so far (the test evaluation's own time left out)."""

    def __init__(self, model, X_test, y_test):
        self.model, self.X_test, self.y_test = model, X_test, y_test
        self.start, self.excluded, self.curve = time.perf_counter(), 0.0, []

    def on_epoch(self, info):
        begin = time.perf_counter()
        predictions = np.concatenate([np.argmax(self.model.loss(self.X_test[i:i + 1000]), axis=1)
                                      for i in range(0, len(self.X_test), 1000)])
        accuracy = float(np.mean(predictions == self.y_test))
        self.curve.append({"epoch": info.epoch, "seconds": begin - self.start - self.excluded,
                           "test_acc": accuracy, "val_acc": info.history.val_acc[-1]})
        self.excluded += time.perf_counter() - begin
        print(f"  epoch {info.epoch:2d}: {self.curve[-1]['seconds']:6.1f} s, test accuracy {accuracy:.4f}", flush=True)


def run(name, full):
    s = SETTINGS[name]
    data = preprocess(full, s["preprocessing"])
    if name == "fc":
        model = FullyConnectedNet([512, 256], 784, 10, normalization="batchnorm", keep_prob=0.8, seed=0)
    else:
        model = SourceNet(10, channels=(32, 64), hidden=256, seed=0)
    steps = s["epochs"] * (len(data["X_train"]) // s["batch_size"])
    clock = TestClock(model, data["X_test"], data["y_test"])
    print(f"{name}: {s['model']}, {s['epochs']} epochs of batch {s['batch_size']}", flush=True)
    train(model, data, rng=np.random.default_rng(0), rule=s["rule"], schedule=cosine_decay(s["lr0"], steps),
          epochs=s["epochs"], batch_size=s["batch_size"], callbacks=[clock], restore_best=False)
    reached = next((point for point in clock.curve if point["test_acc"] >= s["goal"]), None)
    return {"settings": s, "curve": clock.curve, "reached_goal_at": reached}


def plot(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(results), figsize=(6 * len(results), 4), squeeze=False)
    for ax, (name, result) in zip(axes[0], results.items()):
        s, curve = result["settings"], result["curve"]
        ax.plot([p["seconds"] for p in curve], [p["test_acc"] for p in curve], "o-", label="this package, test")
        ax.axhline(s["goal"], color="C2", ls="--", lw=1, label=f"goal {s['goal']:.2f}")
        ax.axhline(s["table"][1], color="C3", ls=":", lw=1, label=f"benchmark table: {s['table'][0]} {s['table'][1]}")
        ax.axvline(s["budget_seconds"], color="gray", ls="--", lw=1, label=f"time budget {s['budget_seconds']} s")
        ax.set(xlabel="training time (s)", ylabel="test accuracy", title=f"{name}: full Fashion-MNIST",
               ylim=(min(0.85, min(p["test_acc"] for p in curve) - 0.005), max(0.93, s["goal"] + 0.01)))
        ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", choices=("fc", "cnn", "both"), default="both")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()
    full = load_course_data(full=True)
    names = ["fc", "cnn"] if args.model == "both" else [args.model]
    new = {name: run(name, full) for name in names}
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "full_data.json"
    machine = {"python": platform.python_version(), "numpy": np.__version__, "cpus": os.cpu_count(),
               "machine": platform.machine(), "date": time.strftime("%Y-%m-%d")}
    results = json.loads(path.read_text())["results"] if path.exists() else {}  # one model rerun: keep the other
    results.update({name: dict(result, machine=machine) for name, result in new.items()})
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"results": results}, indent=1) + "\n")
    tmp.replace(path)  # never a half-written file
    plot(results, args.out / "full_data.png")
    for name, result in new.items():
        s, reached, last = result["settings"], result["reached_goal_at"], result["curve"][-1]
        verdict = (f"reached {s['goal']:.2f} after {reached['seconds']:.1f} s (epoch {reached['epoch']}; budget "
                   f"{s['budget_seconds']} s: {'met' if reached['seconds'] <= s['budget_seconds'] else 'MISSED'})"
                   if reached else f"did NOT reach {s['goal']:.2f}")
        print(f"{name}: {verdict}; final test accuracy {last['test_acc']:.4f} after {last['seconds']:.1f} s "
              f"(table: {s['table'][0]} {s['table'][1]})")
    print(f"wrote {args.out / 'full_data.json'} and {args.out / 'full_data.png'}")


if __name__ == "__main__":
    main()
