"""Record reference values from PyTorch into tests/fixtures/torch_reference.npz.

    pip install torch==2.13.0     (in a separate environment: PyTorch is never a course dependency)
    python tools/record_reference.py

The tests compare lecture_utils against these numbers: update rules over several steps, schedules,
activations, losses, batch norm, layer norm, convolution and max pooling, forward and backward.
Where PyTorch's convention differs from the slides' (BN momentum and running variance, SVM's
division by C, dropout's p), the fixture stores PyTorch's own value and the test converts.
"""
import math
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "torch_reference.npz"
STEPS = 8


def t(a, grad=False):
    return torch.tensor(a, dtype=torch.float64, requires_grad=grad)


def record_optim(rec, rng):
    # gradient of f(x) = sum(0.5 * a * x**2 + b * x): dx = a * x + b, a different curvature per entry
    a, b, x0 = rng.uniform(0.5, 5, (5, 4)), rng.normal(size=(5, 4)), rng.normal(size=(5, 4))
    rec.update(optim_a=a, optim_b=b, optim_x0=x0)
    configs = {
        "sgd": lambda p: torch.optim.SGD(p, lr=0.1),
        "sgd_momentum": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
        "nesterov": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
        "adagrad": lambda p: torch.optim.Adagrad(p, lr=0.5, eps=1e-7),
        "rmsprop": lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.99, eps=1e-7),
        "adam": lambda p: torch.optim.Adam(p, lr=0.1, betas=(0.9, 0.999), eps=1e-7),
        "adamw": lambda p: torch.optim.AdamW(p, lr=0.1, betas=(0.9, 0.999), eps=1e-7, weight_decay=0.1),
    }
    for name, make in configs.items():
        x = t(x0)
        opt = make([x])
        path = [x0.copy()]
        for _ in range(STEPS):
            x.grad = torch.tensor(a) * x.detach() + torch.tensor(b)
            opt.step()
            path.append(x.detach().numpy().copy())
        rec[f"optim_{name}"] = np.array(path)


def lrs(scheduler, opt, n):
    out = []
    for _ in range(n):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        scheduler.step()
    return np.array(out)


def record_schedules(rec):
    def opt(lr0):
        return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr0)

    o = opt(0.1)
    rec["sched_step_decay"] = lrs(torch.optim.lr_scheduler.StepLR(o, step_size=7, gamma=0.5), o, 40)
    o = opt(0.1)
    rec["sched_exponential_decay"] = lrs(torch.optim.lr_scheduler.ExponentialLR(o, gamma=math.exp(-0.05)), o, 40)
    o = opt(0.1)
    rec["sched_cosine_decay"] = lrs(torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=30, eta_min=0.001), o, 31)
    o = opt(0.1)
    warm = torch.optim.lr_scheduler.LinearLR(o, start_factor=1 / 5, end_factor=1.0, total_iters=4)
    cos = torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=20, eta_min=0.0)
    rec["sched_warmup_cosine"] = lrs(torch.optim.lr_scheduler.SequentialLR(o, [warm, cos], milestones=[5]), o, 25)
    o = opt(0.1)
    rec["sched_restarts_1"] = lrs(torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=10, T_mult=1, eta_min=0.01), o, 45)
    o = opt(0.1)
    rec["sched_restarts_2"] = lrs(torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2, eta_min=0.0), o, 45)


def forward_backward(rec, prefix, fn, inputs, dout=None):
    """Record fn(*inputs) and the gradient of sum(out * dout) for every input."""
    tensors = [t(v, grad=True) for v in inputs]
    out = fn(*tensors)
    if dout is None:  # a scalar output
        out.backward()
    else:
        out.backward(torch.tensor(dout))
    rec[f"{prefix}_out"] = out.detach().numpy()
    for i, tensor in enumerate(tensors):
        rec[f"{prefix}_grad{i}"] = tensor.grad.numpy()


def record_layers(rec, rng):
    x = rng.normal(scale=2.0, size=(6, 5))
    x[0, :3] = [-40.0, 40.0, 0.5]  # saturated and ordinary values
    dout = rng.normal(size=(6, 5))
    rec.update(act_x=x, act_dout=dout)
    forward_backward(rec, "sigmoid", torch.sigmoid, [x], dout)
    forward_backward(rec, "tanh", torch.tanh, [x], dout)
    forward_backward(rec, "relu", F.relu, [x], dout)
    forward_backward(rec, "leaky_relu", lambda z: F.leaky_relu(z, 0.1), [x], dout)
    forward_backward(rec, "elu", lambda z: F.elu(z, alpha=1.3), [x], dout)
    forward_backward(rec, "gelu", lambda z: F.gelu(z, approximate="tanh"), [x], dout)
    alpha = rng.uniform(0.05, 0.3, 5)
    rec["prelu_alpha"] = alpha
    forward_backward(rec, "prelu", F.prelu, [x, alpha], dout)
    w, b, dmax = rng.normal(size=(3, 5, 4)), rng.normal(size=(3, 4)), rng.normal(size=(6, 4))
    rec.update(maxout_w=w, maxout_b=b, maxout_dout=dmax)
    forward_backward(rec, "maxout", lambda z, w_, b_: (torch.einsum("nd,kdm->knm", z, w_) + b_[:, None]).max(0).values,
                     [x, w, b], dmax)

    scores, y = rng.normal(scale=3.0, size=(7, 10)), rng.integers(0, 10, 7)
    rec.update(loss_scores=scores, loss_y=y)
    forward_backward(rec, "softmax", lambda s: F.cross_entropy(s, torch.tensor(y)), [scores])
    forward_backward(rec, "svm", lambda s: F.multi_margin_loss(s, torch.tensor(y)), [scores])  # divides by C

    xb, gamma, beta = rng.normal(3.0, 2.0, (16, 6)), rng.normal(size=6), rng.normal(size=6)
    run_mean, run_var, dbn = rng.normal(size=6), rng.uniform(0.5, 2, 6), rng.normal(size=(16, 6))
    rec.update(bn_x=xb, bn_gamma=gamma, bn_beta=beta, bn_run_mean=run_mean, bn_run_var=run_var, bn_dout=dbn)
    rm, rv = torch.tensor(run_mean), torch.tensor(run_var)
    forward_backward(rec, "bn", lambda z, g, b_: F.batch_norm(z, rm, rv, g, b_, training=True, momentum=0.1, eps=1e-5),
                     [xb, gamma, beta], dbn)
    rec["bn_torch_run_mean"], rec["bn_torch_run_var"] = rm.numpy(), rv.numpy()  # unbiased variance
    rec["bn_test_out"] = F.batch_norm(t(xb), rm, rv, t(gamma), t(beta), training=False, eps=1e-5).numpy()
    forward_backward(rec, "ln", lambda z, g, b_: F.layer_norm(z, (6,), g, b_, eps=1e-5), [xb, gamma, beta], dbn)

    xc, wc, bc = rng.normal(size=(2, 3, 7, 7)), rng.normal(size=(4, 3, 3, 3)), rng.normal(size=4)
    rec.update(conv_x=xc, conv_w=wc, conv_b=bc)
    for stride, pad in [(1, 0), (2, 1), (1, 2)]:
        h = (7 + 2 * pad - 3) // stride + 1
        dconv = rng.normal(size=(2, 4, h, h))
        rec[f"conv_s{stride}p{pad}_dout"] = dconv
        forward_backward(rec, f"conv_s{stride}p{pad}", lambda z, w_, b_, s=stride, p=pad: F.conv2d(z, w_, b_, stride=s, padding=p),
                         [xc, wc, bc], dconv)

    xp = rng.normal(size=(2, 3, 8, 8))
    rec["pool_x"] = xp
    for size, stride in [(2, 2), (3, 2), (2, 1)]:
        h = (8 - size) // stride + 1
        dpool = rng.normal(size=(2, 3, h, h))
        rec[f"pool_k{size}s{stride}_dout"] = dpool
        forward_backward(rec, f"pool_k{size}s{stride}", lambda z, k=size, s=stride: F.max_pool2d(z, k, s), [xp], dpool)


def main():
    torch.manual_seed(0)
    rng = np.random.default_rng(7)
    rec = {}
    record_optim(rec, rng)
    record_schedules(rec)
    record_layers(rec, rng)
    rec["torch_version"] = np.array(torch.__version__)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, **rec)
    print(f"wrote {len(rec)} arrays to {OUT} ({OUT.stat().st_size / 1e3:.1f} kB) with torch {torch.__version__}")


if __name__ == "__main__":
    main()
