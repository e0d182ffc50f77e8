"""Figures for the notebooks (the only core-adjacent module that imports matplotlib).

Every function returns the matplotlib Figure it drew, so a notebook can show it and a test or a
tool can save it as PNG. Axis labels and legends are in English in both editions (the notebooks' own
code draws labels too, and the Korean edition runs the same code). In the Korean edition the figures'
titles drawn here are Korean when a font with Korean letters is installed (`korean_font`: NanumGothic
from Debian's fonts-nanum, Noto Sans CJK KR, Malgun Gothic on Windows, Apple SD Gothic Neo on macOS,
...), and English otherwise, never empty boxes.
"""
import dataclasses
import functools
import re

import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.ticker import MaxNLocator
import numpy as np

from .._i18n import _, get_language, on_language_change
from .._validation import check_generator, check_int
from ..noise import accuracy_standard_error, paired_difference

KOREAN_FONTS = ("NanumGothic", "NanumBarunGothic", "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic",
                "Apple SD Gothic Neo", "AppleGothic", "UnDotum", "Baekmuk Gulim")
_KOREAN_FILES = re.compile(r"nanum|notosanscjk|notosanskr|malgun|applegothic|applesdgothicneo|undotum|baekmuk", re.I)
_FAMILY = list(plt.rcParams["font.family"])


@functools.lru_cache(maxsize=1)
def korean_font():
    """The name of an installed font with Korean letters (the first of KOREAN_FONTS found), or None."""
    def known():
        names = {entry.name for entry in font_manager.fontManager.ttflist}
        return next((name for name in KOREAN_FONTS if name in names), None)

    if known() is None:  # installed after matplotlib built its font cache: add the files themselves
        for path in font_manager.findSystemFonts():
            if _KOREAN_FILES.search(path.replace(" ", "").replace("-", "")):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
    name = known()
    if name is not None:
        _bold_face_is_bold(name)
    return name


def _bold_face_is_bold(name):
    """Let matplotlib take a font's file named ...Bold as its bold face. NanumGothicBold.ttf says it weighs 600, so a
    bold label (fontweight="bold", 700) in the Korean edition printed "findfont: Failed to find font weight bold for
    NanumGothic, now using 600" under the figure; it is the family's bold face, and now counts as 700."""
    fonts, changed = font_manager.fontManager.ttflist, False
    for i, entry in enumerate(fonts):
        if entry.name == name and entry.weight == 600 and re.search(r"bold\.[ot]t[fc]$", entry.fname, re.I):
            fonts[i] = dataclasses.replace(entry, weight=700)
            changed = True
    if changed:
        font_manager.fontManager._findfont_cached.cache_clear()


def _follow_language(language):
    """Korean edition with a Korean font: the usual font first, the Korean font behind it for the letters the usual
    one lacks (matplotlib falls back glyph by glyph). Not the other way round: the tick labels of a log axis are
    mathtext in the first font, and NanumGothic has no minus sign (U+2212) for 10^-2."""
    font = korean_font() if language == "ko" else None
    plt.rcParams["font.family"] = [*_FAMILY, font] if font else _FAMILY


def _title(template, **fields):
    """A figure title in the course's language: Korean only where a Korean font can draw it."""
    if get_language() == "ko" and korean_font():
        return _(template, **fields)
    return template.format(**fields)


on_language_change(_follow_language)


def plot_class_grid(X, y, classes, *, per_class=8, rng):
    """A grid with one row per class and `per_class` random examples of it. X: (N, 28, 28) images."""
    check_int("per_class", per_class, minimum=1)
    check_generator("rng", rng)
    fig, axes = plt.subplots(len(classes), per_class, figsize=(per_class * 0.9, len(classes) * 0.95))
    for label, name in enumerate(classes):
        members = np.flatnonzero(y == label)
        chosen = rng.choice(members, size=min(per_class, len(members)), replace=False)
        for col, ax in enumerate(axes[label]):
            ax.set_axis_off()
            if col < len(chosen):
                ax.imshow(X[chosen[col]], cmap="gray_r", vmin=0, vmax=255)
        axes[label, 0].text(-4, 14, f"{label}: {name}", ha="right", va="center", fontsize=9)
    fig.subplots_adjust(left=0.22, right=0.99, top=0.99, bottom=0.01, wspace=0.05, hspace=0.05)
    return fig


def plot_history(history, *, title=None):
    """The loss of every step (with the epoch means) and the accuracies per epoch; a third panel with the
    learning rate of every step only when the rate changes (a schedule). A constant rate is named in the
    loss panel's title instead of drawn as a flat line."""
    rates = np.asarray(history.lr, dtype=float)
    scheduled = rates.size > 0 and not np.all(rates == rates[0])
    fig, axes = plt.subplots(1, 3 if scheduled else 2, figsize=(13 if scheduled else 9, 3.6))
    ax_loss, ax_acc = axes[0], axes[1]
    steps = np.arange(len(history.loss))
    ax_loss.plot(steps, history.loss, lw=0.6, alpha=0.6, label="minibatch loss")
    epoch_ends = history.steps_per_epoch * np.arange(1, len(history.epoch_loss) + 1) - 1
    dot, square = ("o", "s") if len(epoch_ends) <= 30 else (None, None)  # markers would hide a long run's line
    ax_loss.plot(epoch_ends, history.epoch_loss, marker=dot, label="epoch mean")
    ax_loss.plot(epoch_ends, history.val_loss, ls="--", marker=square, label="validation loss")
    constant = _title(" (constant learning rate {rate:g})", rate=rates[0]) if rates.size and not scheduled else ""
    ax_loss.set(xlabel="step", ylabel="loss", title=_title("Loss") + constant)
    ax_loss.legend()
    epochs = np.arange(1, len(history.val_acc) + 1)
    ax_acc.plot(epochs, history.train_acc, marker=dot, label="train (sample)")
    ax_acc.plot(epochs, history.val_acc, marker=square, label="validation")
    if history.best_epoch:
        ax_acc.axvline(history.best_epoch, color="gray", ls=":", label=f"best epoch {history.best_epoch}")
    ax_acc.set(xlabel="epoch", ylabel="accuracy", title=_title("Accuracy"))
    ax_acc.legend()
    if scheduled:
        axes[2].plot(steps[:len(rates)], rates)
        axes[2].set_ylim(0, 1.1 * rates.max())
        axes[2].set(xlabel="step", ylabel="learning rate", title=_title("Learning rate"))
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_gradcheck(analytic, numeric, *, title=None):
    """Left: analytic against numerical entries (on the diagonal when they agree). Right: each
    entry's relative error against the size of its gradient, on log scales."""
    fig, (ax, ax_rel) = plt.subplots(1, 2, figsize=(9, 3.8))
    a, n = np.ravel(analytic), np.ravel(numeric)
    ax.scatter(n, a, s=8)
    lim = [min(a.min(), n.min()), max(a.max(), n.max())]
    ax.plot(lim, lim, "k--", lw=0.8, label="y = x")
    ax.set(xlabel="numerical gradient", ylabel="analytic gradient (backward)",
           title=title or _title("Analytic vs numerical gradient"))
    ax.legend()
    relative = np.abs(a - n) / np.maximum(1e-8, np.abs(a) + np.abs(n))
    size = np.maximum(np.abs(n), 1e-16)
    ax_rel.loglog(size, np.maximum(relative, 1e-16), ".", ms=3)
    ax_rel.set(xlabel="|numerical gradient|", ylabel="relative error", title=_title("Relative error vs gradient size"))
    fig.tight_layout()
    return fig


def plot_step_size_sweep(result):
    """Left: the numerical gradient's max relative error against the step h (log-log), one line per dtype,
    with the chosen h marked. Right: at that h, each gradient entry's absolute error against its size (on
    the gray line the error is as large as the entry itself; 1e-17 stands for an error of exactly 0). The output of gradcheck.step_size_sweep."""
    fig, (ax, ax_entries) = plt.subplots(1, 2, figsize=(11.5, 3.9), gridspec_kw={"width_ratios": [1.25, 1]})
    for name, style in (("float64", "o-"), ("float32", "s-")):
        ax.loglog(result["grid"], np.maximum(result[name]["curve"], 1e-16), style, ms=4, label=name)
        ax.plot(result["h"], max(result[name]["at_h"], 1e-16), "k*", ms=11)
    ax.axvline(result["h"], color="gray", ls=":", label=f"h = {result['h']:.1e}")
    ax.set(xlabel="step h of the centred difference", ylabel="max relative error",
           title=_title("Numerical gradient error vs step size"), ylim=(1e-12, 3))
    ax.legend(loc="lower left")
    magnitudes = np.abs(result["float64"]["analytic"])
    line = np.array([magnitudes.min() / 3, magnitudes.max() * 3])
    ax_entries.loglog(line, line, color="gray", lw=0.8, label="error = |entry| (relative error 1)")
    for name, marker, size in (("float64", "o", 30), ("float32", "s", 16)):
        error = np.abs(result[name]["numerical"] - result[name]["analytic"])
        ax_entries.scatter(np.abs(result[name]["analytic"]), np.maximum(error, 1e-17), s=size, marker=marker, alpha=0.8,
                           label=f"{name}: max relative error {result[name]['at_h']:.0e}")
    ax_entries.set(xlabel="|analytic gradient entry|", ylabel="|numerical - analytic|", ylim=(1e-17, 1),
                   title=_title("The 15 gradient entries at h = {h:.0e}", h=result["h"]))
    ax_entries.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def plot_activation_curves(curves, *, formulas=None, ncols=4):
    """One panel per activation with f (solid) and f' (dashed). curves: {name: activation_curve(...)}."""
    names = list(curves)
    nrows = -(-len(names) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.2 * ncols, 2.7 * nrows), squeeze=False)
    for ax, name in zip(axes.ravel(), names):
        c = curves[name]
        ax.plot(c["x"], c["f"], lw=2, label="f(x)")
        ax.plot(c["x"], c["df"], "--", lw=1.5, label="f'(x)")
        ax.axhline(0, color="gray", lw=0.5)
        ax.axvline(0, color="gray", lw=0.5)
        ax.set_title(name if not formulas else f"{name}\n{formulas[name]}", fontsize=9)
        ax.set_ylim(-1.5, 3.0)
    for ax in axes.ravel()[len(names):]:
        ax.set_axis_off()
    axes[0, 0].legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def plot_propagation(result, *, title=None, max_layers=10, share_x=True):
    """Per-layer histograms of propagate()'s activations (top row) and gradients (bottom row).

    share_x: every panel of a row gets the row's full x-range, so a spread that shrinks through the layers is seen
    shrinking (a histogram narrower than 2% of that range is drawn as a bar 2% wide, so it stays visible); False
    gives each panel its own range."""
    layers = min(result["layers"], max_layers)
    if layers == 0:
        fig, ax = plt.subplots(figsize=(6, 1.5))
        ax.set_axis_off()
        ax.text(0.5, 0.5, result["overflow"], ha="center", va="center")
        return fig
    picks = np.unique(np.linspace(0, result["layers"] - 1, layers).round().astype(int))
    fig, axes = plt.subplots(2, len(picks), figsize=(1.55 * len(picks) + 0.8, 3.6), squeeze=False)
    spans = {key: (min(result[key][i][1][0] for i in picks), max(result[key][i][1][-1] for i in picks))
             for key in ("act_hist", "grad_hist")}
    for col, i in enumerate(picks):
        for row, key, std in ((0, "act_hist", "act_std"), (1, "grad_hist", "grad_std")):
            counts, edges = result[key][i]
            ax = axes[row, col]
            color = "C0" if row == 0 else "C1"
            lo, hi = spans[key]
            if share_x and edges[-1] - edges[0] < 0.02 * (hi - lo):  # too narrow to see at the row's scale
                center, width = (edges[0] + edges[-1]) / 2, 0.02 * (hi - lo)
                ax.bar(center, counts.sum(), width=width, color=color)
            else:
                ax.stairs(counts, edges, fill=True, color=color)  # one artist, not 40 bars
            if share_x:
                pad = 0.03 * (hi - lo)
                ax.set_xlim(lo - pad, hi + pad)
            ax.set_yticks([])
            ax.xaxis.set_major_locator(MaxNLocator(3))  # more labels overlap at this width
            ax.tick_params(axis="x", labelsize=6)
            ax.set_title(f"layer {i + 1}\nstd {result[std][i]:.1e}" if row == 0 else f"std {result[std][i]:.1e}",
                         fontsize=7)
    axes[0, 0].set_ylabel("activations", fontsize=8)
    axes[1, 0].set_ylabel("gradients", fontsize=8)
    fig.suptitle(title or f"{result['activation']}, init {result['init']}", fontsize=10)
    # fixed margins: tight_layout on these 20 axes took most of the figure's time (0.8 s)
    fig.subplots_adjust(left=0.8 / fig.get_figwidth(), right=0.99, bottom=0.13, top=0.76, wspace=0.12, hspace=0.6)
    return fig


def plot_layer_stats(results, *, key="act_std", ylabel="std of activations", title=None):
    """One line per run over the layers, log scale: results is {label: propagate(...)}."""
    fig, ax = plt.subplots(figsize=(7.2, 3.6))
    for label, result in results.items():
        values = np.maximum(result[key], 1e-30)
        ax.semilogy(np.arange(1, len(values) + 1), values, "o-", ms=3, label=label)
    ax.set(xlabel="layer", ylabel=ylabel, title=title)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    return fig


def plot_boundaries(result, *, ax=None, title=None):
    """The toy set of sensitivity.boundary_sensitivity with its decision boundary (black) and the boundaries
    of the perturbed weights (red), on axes that follow the data."""
    if ax is None:
        fig, ax = plt.subplots(figsize=(4.4, 4.2))
    else:
        fig = ax.figure
    X, y = result["X"], result["y"]
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", s=10, edgecolors="none")
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.15 * (hi - lo)
    xs = np.linspace(lo[0] - pad[0], hi[0] + pad[0], 50)
    for i, (W, b) in enumerate([(result["W"], result["b"])] + list(result["boundaries"])):
        w, c = W[:, 1] - W[:, 0], b[1] - b[0]  # class 1 wins where x @ w + c > 0
        if abs(w[1]) > 1e-12:
            ax.plot(xs, -(c + w[0] * xs) / w[1], color="k" if i == 0 else "r", lw=2 if i == 0 else 0.8,
                    alpha=1 if i == 0 else 0.6)
    ax.set(xlim=(lo[0] - pad[0], hi[0] + pad[0]), ylim=(lo[1] - pad[1], hi[1] + pad[1]), xlabel="x1", ylabel="x2")
    from matplotlib.lines import Line2D  # legend proxies; imported here to leave the shared header alone
    cmap = plt.get_cmap("coolwarm")
    handles = [Line2D([], [], ls="", marker="o", ms=4, color=cmap(0.0), label="class 0"),
               Line2D([], [], ls="", marker="o", ms=4, color=cmap(1.0), label="class 1"),
               Line2D([], [], color="k", lw=2, label="fitted boundary"),
               Line2D([], [], color="r", lw=0.8, alpha=0.6, label=f"W moved {result['relative_step']:.0%}")]
    ax.legend(handles=handles, fontsize=7, loc="best")
    ax.set_title(title or f"shift {result['shift']:g}, scale {result['scale']:g}: mean |dL| "
                 f"{result['mean_change']:.1e}", fontsize=9)
    return fig


def plot_running_average(result):
    """batchnorm.running_average_demo: left, each minibatch's mean of unit 0, the running average that tracks
    it, and the data set's true mean; right, every unit's test-mode output std against its variance, with
    the std sqrt(var / (var + eps)) that eps allows and a line at eps."""
    fig, (ax, ax_eps) = plt.subplots(1, 2, figsize=(11, 3.6))
    steps = np.arange(1, len(result["batch_mean"]) + 1)
    ax.plot(steps, result["batch_mean"], ".", ms=5, alpha=0.6, label="minibatch mean")
    ax.plot(steps, result["running_mean"], "-", lw=2, label=f"running mean (momentum {result['momentum']:g})")
    ax.axhline(result["true_mean"], color="k", ls="--", lw=1, label="mean over the whole data set")
    ax.set(xlabel="training step", ylabel="unit 0 before batch norm",
           title=_title("Running average, batch size {size}", size=result["batch_size"]))
    ax.legend(fontsize=8)
    eps, unit_var = result["eps"], result["unit_var"]
    grid = np.logspace(-10, 6, 200)  # fixed x-range, so moving the init slider moves the points
    ax_eps.semilogx(unit_var, result["test_std"], "o", ms=4, alpha=0.7, label="one unit (test mode)")
    ax_eps.semilogx(grid, np.sqrt(grid / (grid + eps)), "-", color="gray", label="sqrt(var / (var + eps))")
    ax_eps.axvline(eps, color="k", ls=":", lw=1, label=f"eps = {eps:g}")
    ax_eps.axhline(1.0, color="k", ls="--", lw=1, label="std 1 (normalised)")
    ax_eps.set(xlim=(grid[0], grid[-1]), ylim=(0, max(2.5, 1.1 * float(np.max(result["test_std"])))),
               xlabel="variance of the unit before batch norm", ylabel="std of its test-mode output",
               title=_title("Test-mode outputs, log10 init {init:g}", init=result["log10_init"]))
    ax_eps.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def _smooth(values, window):
    """The moving average of the finite prefix of values (window steps, shorter at the start)."""
    values = np.asarray(values, dtype=np.float64)
    finite = values[: np.argmin(np.isfinite(values))] if not np.all(np.isfinite(values)) else values
    if len(finite) == 0:
        return finite
    sums = np.cumsum(np.insert(finite, 0, 0.0))
    idx = np.arange(1, len(finite) + 1)
    start = np.maximum(idx - window, 0)
    return (sums[idx] - sums[start]) / (idx - start)


def plot_loss_probe(result, *, ax=None, label=None):
    """monitoring.learning_rate_probe: the loss of each step (faint), its 20-step moving average, ln(10) dashed,
    and a cross where the loss became NaN or inf."""
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 3.6))
    fig = ax.figure
    loss = result["loss"]
    steps = np.arange(len(loss))
    line, = ax.plot(steps, loss, lw=0.6, alpha=0.35)
    smooth = _smooth(loss, 20)
    ax.plot(steps[:len(smooth)], smooth, lw=2, color=line.get_color(), label=label or f"lr {result['lr']:.1e}")
    ax.axhline(np.log(10), color="gray", ls="--", lw=1, label="ln(10): chance")
    if result["diverged_at"] is not None:
        ax.plot(result["diverged_at"], min(ax.get_ylim()[1], 4.0), "rx", ms=12, mew=3,
                label=f"NaN/inf at step {result['diverged_at']}")
    ax.set(xlabel="step (minibatch of 50)", ylabel="training loss", xlim=(0, len(loss)), ylim=(0, 4.0))
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig


def plot_update_ratios(runs, *, target=1e-3):
    """One panel per run ({label: (steps, {name: ratios})}, from UpdateRatioMonitor.as_arrays()): the ratio of
    update size to weight size per layer over training, on a log scale, with the lecture's ~1e-3 marked."""
    fig, axes = plt.subplots(1, len(runs), figsize=(4.2 * len(runs), 3.4), sharey=True, squeeze=False)
    for ax, (label, (steps, ratios)) in zip(axes[0], runs.items()):
        for name, values in ratios.items():
            ax.semilogy(steps, values, lw=1, label=name)
        ax.axhline(target, color="k", ls="--", lw=1, label=f"{target:g}")
        ax.set(xlabel="step", title=label)
    axes[0, 0].set_ylabel("||update|| / ||W||")
    axes[0, -1].legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    return fig


def plot_layer_monitor(runs):
    """Rows: runs ({label: (steps, stats)} from LayerMonitor.as_arrays()); columns: the fraction of dead units,
    the std of the activations and the std of the weight gradients, one line per layer."""
    columns = (("dead", "dead units (fraction)", False), ("act_std", "std of activations", True),
               ("grad_std", "std of dL/dW", True))
    fig, axes = plt.subplots(len(runs), 3, figsize=(12, 2.9 * len(runs)), squeeze=False)
    for row, (label, (steps, stats)) in enumerate(runs.items()):
        for col, (key, ylabel, log) in enumerate(columns):
            ax = axes[row, col]
            for layer in range(stats[key].shape[1]):
                values = np.maximum(stats[key][:, layer], 1e-12) if log else stats[key][:, layer]
                (ax.semilogy if log else ax.plot)(steps, values, "o-", ms=3, label=f"layer {layer + 1}")
            ax.set(ylabel=ylabel, title=f"{label}: {ylabel}", xlabel="step" if row == len(runs) - 1 else None)
            if key == "dead":
                ax.set_ylim(-0.05, 1.05)
        axes[row, -1].legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    return fig


def plot_important_parameter(grid_trials, random_trials, objective_parts):
    """Bergstra and Bengio's (2012) figure: grid (left) and random (right) trials over an important (x) and an
    unimportant (y) parameter, with each parameter's effect drawn on the margins and the trials projected onto
    them. objective_parts: (f_important, f_unimportant), functions of a value in [0, 1]."""
    f_important, f_unimportant = objective_parts
    fig = plt.figure(figsize=(10.5, 4.9))
    grid = fig.add_gridspec(2, 5, width_ratios=[1, 4, 1.4, 1, 4], height_ratios=[1, 4], wspace=0.08, hspace=0.08,
                            top=0.86)
    line = np.linspace(0, 1, 200)
    for col, (name, trials) in enumerate((("Grid layout", grid_trials), ("Random layout", random_trials))):
        x = np.array([t.params["important"] for t in trials])
        y = np.array([t.params["unimportant"] for t in trials])
        main = fig.add_subplot(grid[1, 3 * col + 1])
        top = fig.add_subplot(grid[0, 3 * col + 1], sharex=main)
        left = fig.add_subplot(grid[1, 3 * col], sharey=main)
        main.scatter(x, y, s=40, color="k", zorder=3)
        main.set(xlim=(0, 1), ylim=(0, 1), xlabel="important parameter")
        main.tick_params(labelleft=False)
        top.fill_between(line, f_important(line), color="C2", alpha=0.5)
        top.plot(x, f_important(x), "ko", ms=4)
        top.set_title(f"{name}: {len(x)} trials,\n{len(np.unique(x))} distinct values of the important parameter",
                      fontsize=10)
        top.set_axis_off()
        left.fill_betweenx(line, f_unimportant(line), color="C1", alpha=0.5)
        left.plot(f_unimportant(y), y, "ko", ms=4)
        left.set_xlim(left.get_xlim()[::-1])
        left.set_ylabel("unimportant parameter")
        left.set_xticks([])
    return fig


def plot_search_scatter(trials, *, fine=None, title=None, score_name="validation accuracy", n=None):
    """A search's score against each log-sampled parameter (lr, reg), coloured by the score, the best trial
    starred; `fine` (a space, e.g. from search.narrow_space) is shaded as the range of the next stage. With `n` (the
    number of validation images behind each score), the best trial carries a bar of plus or minus two standard
    errors and the y-range spans at least twelve of them."""
    names = [n for n in trials[0].params if isinstance(trials[0].params[n], float)]
    fig, axes = plt.subplots(1, len(names), figsize=(5.2 * len(names), 3.6), sharey=True, squeeze=False,
                             layout="constrained")
    scores = np.array([t.score for t in trials])
    best = int(np.nanargmax(scores))
    for ax, name in zip(axes[0], names):
        values = np.array([t.params[name] for t in trials])
        dots = ax.scatter(values, scores, c=scores, cmap="viridis", s=22)
        ax.plot(values[best], scores[best], "r*", ms=14, label=f"best: {name} {values[best]:.1e}")
        if n is not None:
            ax.errorbar(values[best], scores[best], yerr=2 * accuracy_standard_error(scores[best], n), color="r",
                        capsize=4, lw=1, label="best ± 2 SE")
        if fine is not None and name in fine:
            ax.axvspan(fine[name].low, fine[name].high, color="C1", alpha=0.2, label="fine stage range")
        ax.set_xscale("log")
        ax.set(xlabel=name)
        ax.legend(fontsize=8, loc="best")
    axes[0, 0].set_ylabel(score_name)
    if n is not None:
        noise_aware_ylim(axes[0, 0], scores, n)
    fig.colorbar(dots, ax=axes[0, -1], label=score_name)
    if title:
        fig.suptitle(title)
    return fig


def _contour(ax, surface, limits=None, levels=18, grid=200):
    """Filled log-spaced contours of a landscapes surface over `limits` (default its window), minimum starred."""
    (x0, x1), (y0, y1) = limits or surface.window
    X, Y = np.meshgrid(np.linspace(x0, x1, grid), np.linspace(y0, y1, grid))
    Z = surface.value(np.stack([X, Y], axis=-1))
    shifted = Z - Z.min() + 1e-3 * (Z.max() - Z.min())  # positive, so the levels can be log-spaced
    ax.contourf(X, Y, np.log(shifted), levels=levels, cmap="Greys_r", alpha=0.55)
    ax.contour(X, Y, np.log(shifted), levels=levels, colors="gray", linewidths=0.4)
    ax.plot(*surface.minimum, "*", color="gold", ms=14, mec="k", zorder=4)
    ax.set(xlim=(x0, x1), ylim=(y0, y1))


def plot_trajectories(surface, runs, *, ax=None, title=None, legend=True, dashed=()):
    """Paths of landscapes.run_optimizer results ({label: run}) over the surface's contours. The view is the
    surface's window, widened to the start point when that lies outside it. Labels in `dashed` are drawn dashed and
    thinner, so a path that follows another (AdamW over Adam) leaves the one below it visible."""
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.2, 4.2))
    fig = ax.figure
    start = next(iter(runs.values()))["path"][0]
    (x0, x1), (y0, y1) = surface.window
    pad_x, pad_y = 0.05 * (x1 - x0), 0.05 * (y1 - y0)
    limits = ((min(x0, start[0] - pad_x), max(x1, start[0] + pad_x)),
              (min(y0, start[1] - pad_y), max(y1, start[1] + pad_y)))
    _contour(ax, surface, limits)
    for i, (label, run) in enumerate(runs.items()):
        path = run["path"]
        suffix = f" (diverged at step {run['diverged_at']})" if run["diverged_at"] else ""
        style, width = ("--", 1.1) if label in dashed else ("-", 1.4)
        ax.plot(path[:, 0], path[:, 1], style, color=f"C{i}", lw=width, label=label + suffix,
                zorder=3 if style == "--" else 2)
        if label not in dashed:
            ax.plot(path[:, 0], path[:, 1], ".", color=f"C{i}", ms=3)
    ax.plot(*start, "o", color="k", ms=6, zorder=4)
    ax.set(xlabel="x", ylabel="y", title=title or surface.name)
    if legend:
        ax.legend(fontsize=7, loc="best")
    return fig


def plot_rate_map(lrs, rhos, rates, *, marks=(), title=None):
    """landscapes.momentum_rate over a grid (rates: (len(rhos), len(lrs))), log-coloured, with the region that
    diverges (rate >= 1) in white; marks: [(lr, rho, label)] drawn on top."""
    fig, ax = plt.subplots(figsize=(6.6, 4.4))
    shown = np.where(rates < 1, rates, np.nan)
    mesh = ax.pcolormesh(lrs, rhos, shown, cmap="viridis_r", shading="auto", vmin=max(0.0,
                                                                                      float(np.nanmin(rates)) - 0.05),
                         vmax=1.0)
    levels = [0.5, 0.7, 0.8, 0.9, 0.95, 0.99]
    lines = ax.contour(lrs, rhos, rates, levels=levels, colors="white", linewidths=0.7)
    ax.clabel(lines, fmt="%.2f", fontsize=7)
    for i, (lr, rho, label) in enumerate(marks):
        ax.plot(lr, rho, "o", color=f"C{i + 1}", mec="k", ms=8, label=label)
    ax.set(xscale="log", xlabel="learning rate", ylabel="rho",
           title=title or _title("Convergence rate of SGD + momentum (white: diverges)"))
    fig.colorbar(mesh, ax=ax, label="rate per step (lower is faster)")
    if marks:
        ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    return fig


def plot_schedule_probe(result):
    """softmax_demo.schedule_probe: the learning rate per step (top) and the 20-step moving average of the
    minibatch loss with the schedule and at the constant starting rate (bottom). The loss axis spans what both runs
    do after the first tenth of the steps, so the start-up transient (2.3 falling to about 0.5 within 100 steps, or
    a spike far above 2.3 at large rates) cannot flatten the differences the schedule makes later."""
    fig, (ax_lr, ax_loss) = plt.subplots(2, 1, figsize=(7.2, 5.0), sharex=True, gridspec_kw={"height_ratios": [1, 1.6]})
    steps = np.arange(len(result["lr"]))
    ax_lr.plot(steps, result["lr"], color="C1", label=result["kind"])
    ax_lr.axhline(result["lr0"], color="gray", ls=":", lw=1, label="constant lr0")
    ax_lr.set(ylabel="learning rate", ylim=(0, 1.1 * result["lr0"]), title=_title("Schedule: {kind}",
                                                                                  kind=result["kind"]))
    ax_lr.legend(fontsize=8, loc="upper right")
    later = []
    for key, color, label in (("constant_loss", "gray", f"constant lr0: val acc {result['constant_val_acc']:.3f}"),
                              ("loss", "C1", f"{result['kind']}: val acc {result['val_acc']:.3f}")):
        smooth = _smooth(result[key], 20)
        ax_loss.plot(steps[:len(smooth)], smooth, color=color, label=label)
        later.append(smooth[len(steps) // 10:])
    later = np.concatenate(later)
    if len(later):  # y-range from the later part of both runs (the transient runs off the top)
        low, high = float(later.min()), float(later.max())
        pad = 0.08 * (high - low) + 0.01 * max(abs(high), 1e-3)
        ax_loss.set_ylim(low - pad, high + pad)
    ax_loss.set(xlabel="step (minibatch of 100)", ylabel="training loss (20-step average)",
                title=_title("Training loss (y-range from step {step} on)", step=len(steps) // 10))
    ax_loss.legend(fontsize=8, loc="best")
    fig.tight_layout()
    return fig


def plot_ensemble_curves(curves, *, members_acc=None, title=None,
                         ylabel="accuracy", members_label="each independent member alone", n=None, reference=None):
    """Accuracy of the ensemble of the first k members against k, one line per kind ({label: (M,) array}); the
    members' own accuracies as grey dots; `reference` ({label: accuracy}) as dashed horizontal lines (a single
    model to compare with). With `n` (the number of images the accuracies were measured on), each line carries a
    band of plus or minus two standard errors and the y-range spans at least twelve of them."""
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    reference = dict(reference or {})
    for i, (label, curve) in enumerate(curves.items()):
        k = np.arange(1, len(curve) + 1)
        ax.plot(k, curve, "o-", color=f"C{i}", label=label)
        if n is not None:
            accuracy_band(ax, k, curve, n, color=f"C{i}")
    span = [0.8, max(len(c) for c in curves.values()) + 0.2]
    for j, (label, value) in enumerate(reference.items()):
        color = "k" if j == 0 else f"C{len(curves) + j}"
        ax.plot(span, [value, value], "--", color=color, lw=1, label=label)
        if n is not None:
            accuracy_band(ax, span, [value, value], n, color=color, alpha=0.06)
    if members_acc is not None:
        ax.plot(np.arange(1, len(members_acc) + 1), members_acc, "o", color="gray", alpha=0.6, ms=5,
                label=members_label)
    ax.set(xlabel="number of members", ylabel=ylabel, title=title or _title("Ensemble accuracy as members are added"))
    if n is not None:
        values = np.concatenate([np.ravel(c) for c in curves.values()]
                                + ([np.ravel(members_acc)] if members_acc is not None else [])
                                + [np.ravel(list(reference.values()))])
        noise_aware_ylim(ax, values, n)
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def accuracy_band(ax, x, accuracy, n, *, color=None, alpha=0.15):
    """Shade plus or minus two standard errors around accuracies measured on n examples."""
    accuracy = np.asarray(accuracy, dtype=np.float64)
    half = 2 * accuracy_standard_error(np.clip(accuracy, 0, 1), n)
    return ax.fill_between(x, accuracy - half, accuracy + half, color=color, alpha=alpha, lw=0)


def noise_aware_ylim(ax, values, n, *, standard_errors=12):
    """Widen the y-range, if needed, to span at least `standard_errors` standard errors of an accuracy measured on
    n examples: a difference of a few images then looks as small as it is."""
    values = np.asarray(values, dtype=np.float64)
    values = values[np.isfinite(values)]
    if not len(values):
        return
    se = accuracy_standard_error(float(np.clip(values.mean(), 0, 1)), n)
    low, high = ax.get_ylim()
    span = max(high - low, standard_errors * se)
    middle = (values.min() + values.max()) / 2
    low, high = middle - span / 2, middle + span / 2
    if high > 1.0:
        low, high = low - (high - 1.0), 1.0
    ax.set_ylim(max(low, 0.0), high)


def plot_regularization_probe(result):
    """regularization.regularization_probe: training and validation accuracy over the steps, the gap shaded."""
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    ax.plot(result["steps"], result["train_acc"], "o-", ms=3, label="training (300 images)")
    ax.plot(result["steps"], result["val_acc"], "s-", ms=3, label="validation")
    ax.fill_between(result["steps"], result["val_acc"], result["train_acc"], color="gray", alpha=0.15)
    title = (_title("Regularizer: none") if result["kind"] == "none" else
             _title("Regularizer: {kind}, {setting}", kind=result["kind"], setting=result["setting"]))
    ax.set(xlabel="step", ylabel="accuracy", ylim=(0, 1.02), title=title)  # the strength used is in the title
    ax.legend(fontsize=8, loc="best")  # at strong penalties both curves sit near 0.1, under a lower-right legend
    fig.tight_layout()
    return fig


def plot_transfer_table(table, strategies, conditions, *, correct=None,
                        title=None):
    """A heat map of table[strategy][condition] (accuracies), the best of each column in bold.

    correct: optional correct[strategy][condition], the boolean array `predictions == y_test` behind each accuracy.
    With it, every entry whose paired difference from its column's best is within two standard errors
    (noise.paired_difference on the same test images) is bold too, since the test set cannot tell it from the
    best, and the title gives two standard errors of one accuracy. Without it only the maximum is bold."""
    values = np.array([[table[s][c] for c in conditions] for s in strategies])
    bold = values == values.max(axis=0)
    title = title or _title("Test accuracy by strategy and target condition")
    if correct is not None:
        sizes = set()
        for j, condition in enumerate(conditions):
            best = correct[strategies[int(np.argmax(values[:, j]))]][condition]
            sizes.add(len(best))
            for i, strategy in enumerate(strategies):
                bold[i, j] |= not paired_difference(correct[strategy][condition], best).clears()
        inside = (values > 0) & (values < 1)  # the binomial standard error of an accuracy of 0 or 1 is 0
        half = np.concatenate([2 * accuracy_standard_error(values[inside[:, j], j], len(correct[strategies[0]][c]))
                               for j, c in enumerate(conditions)]) if inside.any() else np.zeros(1)
        n = "/".join(str(size) for size in sorted(sizes))
        title = _title("{title}\nbold: the best of each column and all within 2 paired standard errors of it; one "
                       "accuracy on {n} test images is\nuncertain by ±{low:.3f} to ±{high:.3f} (2 standard errors)",
                       title=title, n=n, low=half.min(), high=half.max())
    fig, ax = plt.subplots(figsize=(1.9 * len(conditions) + 2.5, 0.5 * len(strategies) + 1.6
                                    + (0.5 if correct is not None else 0.0)))
    image = ax.imshow(values, cmap="viridis", vmin=max(0.0, values.min() - 0.05), vmax=1.0, aspect="auto")
    for i in range(len(strategies)):
        for j in range(len(conditions)):
            ax.text(j, i, f"{values[i, j]:.3f}", ha="center", va="center", fontsize=9,
                    color="black" if values[i, j] > values.min() + 0.6 * (1 - values.min()) else "white",
                    fontweight="bold" if bold[i, j] else "normal")
    ax.set_xticks(range(len(conditions)), conditions, fontsize=8)
    ax.set_yticks(range(len(strategies)), strategies, fontsize=8)
    ax.set_title(title, fontsize=10 if correct is None else 8)
    fig.colorbar(image, ax=ax, label="test accuracy")
    fig.tight_layout()
    return fig


def plot_confusion(counts, labels, *, ax=None, title=None):
    """A confusion matrix (rows: true class, columns: predicted), counts written in the cells."""
    if ax is None:
        fig, ax = plt.subplots(figsize=(4.2, 3.8))
    fig = ax.figure
    ax.imshow(counts, cmap="Blues")
    for i in range(counts.shape[0]):
        for j in range(counts.shape[1]):
            ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=8,
                    color="white" if counts[i, j] > counts.max() / 2 else "black")
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set(xlabel="predicted", ylabel="true", title=title)
    return fig
