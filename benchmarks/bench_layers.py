"""Layer benchmarks against PyTorch: a 784-512-256-10 training step and a convolution, plus the matrix-product peak.

    make bench-layers      (or: .venv/bin/python benchmarks/bench_layers.py [--torch-python PATH] [--threads 2])

PyTorch is not a dependency of the course: it is used here, when it is there, as the yardstick. Install it in an
environment of its own (python3 -m venv /tmp/torchenv && /tmp/torchenv/bin/pip install torch==2.13.0 numpy) and
pass that interpreter with --torch-python (or TORCH_PYTHON=...); without it the comparison is skipped and said so.

Each measurement runs in a process of its own (in one process, numpy's idle BLAS threads slowed PyTorch by up to
2.5 times), with the same number of threads on both sides, and the two sides alternate, round after round, so that a
noisy spell of the machine hits both. Each process warms up, then times `--steps` steps; the table shows the median
over all rounds. Prints numbers; asserts nothing.

Cases (float32 throughout):
- mlp: one training step (forward, backward, Adam) of 784-512-256-10 with batch norm and dropout (keep 0.5), batch 256;
  numpy with the package's layers and the update rule of optim (optim.adam), as `train` runs it
- conv: convolution forward + backward, N=64, 16 -> 32 channels, 14x14, 3x3, pad 1
- peak: a 2048 x 2048 x 2048 float32 matrix product, the machine's practical ceiling for everything above
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MLP_DIMS, MLP_BATCH, KEEP_PROB = (784, 512, 256, 10), 256, 0.5
CONV_SHAPE = dict(n=64, c=16, f=32, size=14, k=3, pad=1)
PEAK_SIZE = 2048


def mlp_flops():
    """Multiply-adds x 2 of the matrix products in one step: forward, backward for weights and inputs (none for X)."""
    n, dims = MLP_BATCH, MLP_DIMS
    forward = sum(2 * n * a * b for a, b in zip(dims[:-1], dims[1:]))
    return 3 * forward - 2 * n * dims[0] * dims[1]


def conv_flops():
    s = CONV_SHAPE
    return 3 * 2 * s["n"] * s["f"] * s["c"] * s["k"] ** 2 * s["size"] ** 2  # forward, dw, dx


def _time(step, steps, warmup=5):
    for _ in range(warmup):
        step()
    seconds = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - start)
    return seconds


# ----- numpy side (this package) -----

def numpy_case(case, steps):
    import numpy as np

    from lecture_utils import layers
    from lecture_utils.models import FullyConnectedNet
    from lecture_utils.optim import adam

    rng = np.random.default_rng(0)
    if case == "peak":
        a = rng.standard_normal((PEAK_SIZE, PEAK_SIZE), dtype=np.float32)
        return _time(lambda: a @ a, steps, warmup=2)
    if case == "conv":
        s = CONV_SHAPE
        x = rng.standard_normal((s["n"], s["c"], s["size"], s["size"]), dtype=np.float32)
        w = rng.standard_normal((s["f"], s["c"], s["k"], s["k"]), dtype=np.float32) * 0.1
        b = np.zeros(s["f"], np.float32)
        dout = rng.standard_normal((s["n"], s["f"], s["size"], s["size"]), dtype=np.float32)

        def conv_step():
            _, cache = layers.conv_forward(x, w, b, pad=s["pad"])
            layers.conv_backward(dout, cache)
        return _time(conv_step, steps)
    if case == "mlp":  # what train() does at each step: forward and backward, then optim.adam for every parameter
        model = FullyConnectedNet(MLP_DIMS[1:-1], MLP_DIMS[0], MLP_DIMS[-1], normalization="batchnorm",
                                  keep_prob=KEEP_PROB, seed=0)
        X = rng.standard_normal((MLP_BATCH, MLP_DIMS[0]), dtype=np.float32)
        y = rng.integers(0, MLP_DIMS[-1], MLP_BATCH)
        states = {name: {} for name in model.params}

        def step():
            _, grads = model.loss(X, y, rng=rng)
            for name in model.params:
                model.params[name], states[name] = adam(model.params[name], grads[name], states[name])
        return _time(step, steps)
    raise ValueError(f"case must be peak, conv or mlp, got {case!r}")


# ----- PyTorch side (the yardstick) -----

def torch_case(case, steps, threads):
    import torch

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    if case == "peak":
        a = torch.randn(PEAK_SIZE, PEAK_SIZE)
        return _time(lambda: a @ a, steps, warmup=2)
    if case == "conv":
        s = CONV_SHAPE
        x = torch.randn(s["n"], s["c"], s["size"], s["size"], requires_grad=True)
        conv = torch.nn.Conv2d(s["c"], s["f"], s["k"], padding=s["pad"])
        dout = torch.randn(s["n"], s["f"], s["size"], s["size"])

        def conv_step():
            x.grad = None
            conv.zero_grad(set_to_none=True)
            conv(x).backward(dout)
        return _time(conv_step, steps)
    if case == "mlp":
        nn, (d0, d1, d2, d3) = torch.nn, MLP_DIMS
        model = nn.Sequential(nn.Linear(d0, d1), nn.BatchNorm1d(d1), nn.ReLU(), nn.Dropout(1 - KEEP_PROB),
                              nn.Linear(d1, d2), nn.BatchNorm1d(d2), nn.ReLU(), nn.Dropout(1 - KEEP_PROB),
                              nn.Linear(d2, d3))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
        loss_fn = nn.CrossEntropyLoss()
        X, y = torch.randn(MLP_BATCH, d0), torch.randint(0, d3, (MLP_BATCH,))

        def step():
            optimizer.zero_grad(set_to_none=True)
            loss_fn(model(X), y).backward()
            optimizer.step()
        return _time(step, steps)
    raise ValueError(f"case must be peak, conv or mlp, got {case!r}")


# ----- the parent: alternate the two sides, each in a fresh process -----

def run_child(python, side, case, steps, threads):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
               MKL_NUM_THREADS=str(threads))
    command = [python, __file__, "--child", side, "--case", case, "--steps", str(steps), "--threads", str(threads)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{side} {case} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def find_torch(python):
    """The interpreter to run PyTorch with, or None (said why) when there is none."""
    candidates = [python] if python else [os.environ.get("TORCH_PYTHON"), sys.executable]
    for candidate in filter(None, candidates):
        found = subprocess.run([candidate, "-c", "import torch; print(torch.__version__)"], capture_output=True,
                               text=True, check=False)
        if found.returncode == 0:
            return candidate, found.stdout.strip()
    return None, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--torch-python", help="an interpreter with PyTorch (default: $TORCH_PYTHON, then this one)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--child", choices=("numpy", "torch"), help=argparse.SUPPRESS)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        seconds = (numpy_case(args.case, args.steps) if args.child == "numpy"
                   else torch_case(args.case, args.steps, args.threads))
        print(json.dumps(seconds))
        return

    import numpy as np

    torch_python, torch_version = find_torch(args.torch_python)
    print(f"numpy {np.__version__}, {args.threads} threads on each side, {args.rounds} alternating rounds "
          f"of {args.steps} timed steps, each side in its own process")
    if torch_python is None:
        print("PyTorch not found (pass --torch-python or set TORCH_PYTHON): the comparison with PyTorch is skipped")
    else:
        print(f"PyTorch {torch_version} from {torch_python}")
    jobs = [("peak", "numpy", "peak"), ("mlp", "numpy", "mlp"), ("conv", "numpy", "conv")]
    if torch_python:
        jobs += [("peak", "torch", "peak"), ("mlp", "torch", "mlp"), ("conv", "torch", "conv")]
    times = {job: [] for job in jobs}
    for _ in range(args.rounds):
        for job in sorted(jobs, key=lambda j: (j[0], j[1] == "torch")):  # numpy, then torch, case by case
            what, side, case = job
            steps = max(5, args.steps // 5) if what == "peak" else args.steps
            times[job] += run_child(torch_python if side == "torch" else sys.executable, side, case, steps,
                                    args.threads)
    median = {job: float(np.median(t)) for job, t in times.items()}
    peak = 2 * PEAK_SIZE ** 3 / median[("peak", "numpy", "peak")]
    print(f"\nfloat32 matrix-product peak ({PEAK_SIZE}^3): numpy {peak / 1e9:.0f} GFLOP/s"
          + (f", PyTorch {2 * PEAK_SIZE ** 3 / median[('peak', 'torch', 'peak')] / 1e9:.0f} GFLOP/s"
             if torch_python else ""))
    goals = {"mlp": 0.7, "conv": 1.0}
    flops = {"mlp": mlp_flops(), "conv": conv_flops()}
    names = {"mlp": "784-512-256-10 BN+dropout step, batch 256", "conv": "conv fwd+bwd 64x16x14x14 -> 32, 3x3"}
    print(f"\n{'case':44s} {'side':16s} {'median ms':>9s} {'x PyTorch':>9s} {'goal':>6s} {'of peak':>8s}")
    for job in jobs:
        what, side, case = job
        if what == "peak":
            continue
        label = "PyTorch" if side == "torch" else "numpy"
        ms = median[job] * 1000
        ratio = median[job] / median[(what, "torch", what)] if torch_python else float("nan")
        goal = f"{goals[what]:.1f}" if side == "numpy" else ""
        print(f"{names[what]:44s} {label:16s} {ms:9.2f} {ratio:9.2f} {goal:>6s} "
              f"{flops[what] / median[job] / peak:8.0%}")


if __name__ == "__main__":
    main()
