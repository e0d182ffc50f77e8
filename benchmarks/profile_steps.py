"""Where the time goes: pyinstrument profiles of the benchmark steps (the convolution: readable and fast path).

    make profile      (or: .venv/bin/python benchmarks/profile_steps.py [--out benchmarks/profiles])

Writes one text profile per case to OUT/<case>.txt (pyinstrument's call tree, slowest branches first):
- mlp: 200 training steps of the 784-512-256-10 net (batch norm, dropout, batch 256) with optim.adam, as train()
  runs them;
- conv_windows / conv_flat: 200 forward + backward passes of the benchmark convolution (N=64, 16 -> 32, 14x14, 3x3),
  the readable window version and the stride-1 im2col path on flattened images;
- convnet_fmp: notebook 10's small ConvNet with fractional max pooling, 4 epochs on 1,000 images.
Needs pyinstrument (in requirements-dev.txt).
"""
import argparse
from pathlib import Path

import numpy as np
from bench_layers import CONV_SHAPE, KEEP_PROB, MLP_BATCH, MLP_DIMS

from lecture_utils import conv
from lecture_utils.models import FullyConnectedNet
from lecture_utils.optim import adam

ROOT = Path(__file__).resolve().parent.parent

STEPS = 200


def mlp_steps():
    rng = np.random.default_rng(0)
    model = FullyConnectedNet(MLP_DIMS[1:-1], MLP_DIMS[0], MLP_DIMS[-1], normalization="batchnorm",
                              keep_prob=KEEP_PROB, seed=0)
    X = rng.standard_normal((MLP_BATCH, MLP_DIMS[0]), dtype=np.float32)
    y = rng.integers(0, MLP_DIMS[-1], MLP_BATCH)
    states = {name: {} for name in model.params}

    def run():
        for _ in range(STEPS):
            _, grads = model.loss(X, y, rng=rng)
            for name in model.params:
                model.params[name], states[name] = adam(model.params[name], grads[name], states[name])
    return run


def conv_steps(flat):
    s, rng = CONV_SHAPE, np.random.default_rng(0)
    x = rng.standard_normal((s["n"], s["c"], s["size"], s["size"]), dtype=np.float32)
    w = rng.standard_normal((s["f"], s["c"], s["k"], s["k"]), dtype=np.float32)
    b = np.zeros(s["f"], np.float32)
    dout = rng.standard_normal((s["n"], s["f"], s["size"], s["size"]), dtype=np.float32)
    forward, backward = ((conv.conv_forward, conv.conv_backward) if flat
                         else (conv.conv_forward_windows, conv.conv_backward_windows))

    def run():
        for _ in range(STEPS):
            backward(dout, forward(x, w, b, pad=s["pad"])[1])
    return run


def convnet_fmp():
    from lecture_utils.models import ConvNet
    from lecture_utils.preprocessing import preprocess
    from lecture_utils.splits import load_course_data
    from lecture_utils.training import train

    data = preprocess(load_course_data(), "center")
    small = dict(data, X_train=data["X_train"][:1000], y_train=data["y_train"][:1000])

    def run():
        net = ConvNet(filters=8, pool="fractional", test_draws=2, seed=0)
        train(net, small, rng=np.random.default_rng(0), rule="sgd_momentum", learning_rate=0.02, epochs=4,
              batch_size=50, train_acc_samples=200, restore_best=False)
    return run


CASES = {"mlp": mlp_steps,
         "conv_windows": lambda: conv_steps(False), "conv_flat": lambda: conv_steps(True),
         "convnet_fmp": convnet_fmp}


def main():
    from pyinstrument import Profiler

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "profiles")
    parser.add_argument("cases", nargs="*", default=list(CASES), help=f"any of {list(CASES)}")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.cases:
        run = CASES[name]()
        run()  # warm up (first-call allocations, BLAS threads)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        run()
        profiler.stop()
        text = profiler.output_text(unicode=False, color=False, show_all=False)
        (args.out / f"{name}.txt").write_text(text)
        print(f"{name}: {profiler.last_session.duration:.2f} s -> {args.out / (name + '.txt')}")


if __name__ == "__main__":
    main()
