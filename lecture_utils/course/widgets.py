"""Slider panels: thin ipywidgets layers over the experiments' pure functions (the only module importing ipywidgets).

Each panel takes its starting values as arguments (the same numbers the notebook's text quotes),
has a seed control, and redraws only when a slider is released (continuous_update=False) when one
computation takes more than about 50 ms. The numbers come from a pure function of `experiments` that the tests
call over a grid of slider values; the panel only draws what that function returns.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from .._i18n import _
from ..experiments.batchnorm import running_average_demo
from ..experiments.ensembles import GROWTH_STEPS, ensemble_growth
from ..experiments.landscapes import SURFACES, optimizer_playground
from ..experiments.monitoring import learning_rate_probe
from ..experiments.propagation import ACTIVATION_NAMES, INIT_CHOICES, activation_profile, init_profile
from ..experiments.regularization import PROBE_KINDS, regularization_probe
from ..experiments.search import coarse_to_fine_demo, format_trial
from ..experiments.sensitivity import boundary_sensitivity
from ..experiments.softmax_demo import schedule_probe
from ..experiments.transfer import CHEAP_STRATEGIES, TARGET_NAMES, transfer_demo
from ..gradcheck import step_size_sweep
from ..noise import paired_difference
from ..optim import RULES
from ..schedules import SCHEDULE_KINDS
from .plotting import (_title, plot_activation_curves, plot_boundaries, plot_confusion, plot_ensemble_curves,
                       plot_loss_probe, plot_propagation, plot_regularization_probe, plot_running_average,
                       plot_schedule_probe, plot_search_scatter, plot_step_size_sweep, plot_trajectories)


def _seed_control(seed):
    return widgets.BoundedIntText(value=seed, min=0, max=2**31 - 1, description=_("seed"),
                                  layout=widgets.Layout(width="170px"))


def _panel(compute_and_draw, controls, title):
    """A titled box of controls over an output area that compute_and_draw(**values) fills.

    The box's `state["result"]` holds what the last redraw computed (for tests and curious readers).
    """
    state = {}

    def redraw(**values):
        state["result"] = compute_and_draw(**values)

    out = widgets.interactive_output(redraw, controls)
    row = widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
    box = widgets.VBox([widgets.HTML(f"<b>{title}</b>"), row, out])
    box.state = state
    box.add_class("lecture-panel")
    display(box)
    return box


def step_size_panel(log10_h=-5.0, seed=0):
    """Move the step h of a numerical gradient and watch its error in float64 and float32."""
    controls = {
        "log10_h": widgets.FloatSlider(value=log10_h, min=-12, max=-1, step=0.5, description="log10 h",
                                       continuous_update=False, readout_format=".1f"),
        "seed": _seed_control(seed),
    }

    def draw(log10_h, seed):
        result = step_size_sweep(log10_h, seed=seed)
        plot_step_size_sweep(result)
        plt.show()
        zeros = int(np.sum(result["float32"]["numerical"] == 0))
        print(_("h = {h:.1e}: max relative error {float64:.1e} in float64, {float32:.1e} "
                "in float32 ({zeros} of 15 float32 entries are exactly 0: the two losses rounded to the same number)",
                h=result["h"], float64=result["float64"]["at_h"], float32=result["float32"]["at_h"], zeros=zeros))
        return result

    return _panel(draw, controls, _("Gradient check: choose the step h"))


def activation_panel(activation="leaky_relu", alpha=0.1, seed=0):
    """Pick an activation and its alpha: f and f', and the histograms of activations and gradients
    through six layers of 256 units (init matched to the activation and alpha: `propagation.matched_init`)."""
    controls = {
        "activation": widgets.Dropdown(options=ACTIVATION_NAMES, value=activation, description=_("activation")),
        "alpha": widgets.FloatSlider(value=alpha, min=0.0, max=1.0, step=0.01, description="alpha",
                                     continuous_update=False),
        "seed": _seed_control(seed),
    }

    def draw(activation, alpha, seed):
        uses_alpha = activation in ("leaky_relu", "prelu", "elu")
        result = activation_profile(activation, alpha if uses_alpha else None, seed=seed)
        plot_activation_curves({activation: result["curve"]}, ncols=1)
        plt.show()
        prop = result["propagation"]
        init = prop["init"] if isinstance(prop["init"], str) else f"std {prop['init']:.3g}"
        plot_propagation(prop, title=_title("{activation} through 6 layers of 256 units, init {init}",
                                            activation=activation, init=init))
        plt.show()
        used = _("alpha used") if uses_alpha else _("alpha not used by {activation}", activation=activation)
        print(_("{used}; init {init}; layer 1 activation std {first_std:.2e}, layer 6: activation std "
                "{last_std:.2e}, gradient std at layer 1 {grad_std:.2e}, zeros {zeros:.0%}, passing almost no "
                "gradient {blocked:.0%}", used=used, init=init, first_std=prop["act_std"][0],
                last_std=prop["act_std"][-1], grad_std=prop["grad_std"][0], zeros=prop["act_zero"][-1],
                blocked=prop["act_blocked"][-1]))
        return result

    return _panel(draw, controls, _("Activation functions through a deep network"))


def init_panel(init="std", log10_std=-2.0, activation="tanh", depth=10, width=256, seed=0):
    """Choose the initialisation (a fixed std on a log slider, Xavier or He), the depth, width and
    activation; see the per-layer histograms of activations and gradients."""
    controls = {
        "init": widgets.Dropdown(options=INIT_CHOICES, value=init, description="init"),
        "log10_std": widgets.FloatSlider(value=log10_std, min=-4.0, max=1.0, step=0.1, description="log10 std",
                                         continuous_update=False),
        "activation": widgets.Dropdown(options=ACTIVATION_NAMES, value=activation, description=_("activation")),
        "depth": widgets.IntSlider(value=depth, min=1, max=20, description=_("depth"), continuous_update=False),
        "width": widgets.Dropdown(options=[64, 128, 256, 500], value=width, description=_("width")),
        "seed": _seed_control(seed),
    }

    def draw(init, log10_std, activation, depth, width, seed):
        result = init_profile(init, log10_std, activation=activation, depth=depth, width=width, seed=seed)
        label = f"std {10 ** log10_std:.2g}" if init == "std" else init
        plot_propagation(result, title=_title("{activation}, init {label}, {depth} layers of {width}",
                                              activation=activation, label=label, depth=depth, width=width))
        plt.show()
        if result["overflow"]:
            print(result["overflow"])
        else:
            print(_("last layer: activation std {last_std:.2e}, passing almost no gradient {blocked:.0%}; gradient std "
                    "at layer 1: {grad_std:.2e}", last_std=result["act_std"][-1], blocked=result["act_blocked"][-1],
                    grad_std=result["grad_std"][0]))
        return result

    return _panel(draw, controls, _("Weight initialisation through a deep network"))


def boundary_panel(shift=30.0, scale=1.0, seed=0):
    """Move a two-class toy set away from the origin (shift) and spread it (scale): its linear classifier's
    boundary (black) and the boundaries after moving W by 5% of its norm in random directions (red)."""
    controls = {
        "shift": widgets.FloatSlider(value=shift, min=0.0, max=60.0, step=1.0, description=_("shift"),
                                     continuous_update=False),
        "scale": widgets.FloatLogSlider(value=scale, base=10, min=-1, max=1, step=0.1, description=_("scale"),
                                        continuous_update=False),
        "seed": _seed_control(seed),
    }

    def draw(shift, scale, seed):
        result = boundary_sensitivity(shift, scale, seed=seed)
        plot_boundaries(result)
        plt.show()
        print(_("mean |change of the loss| {mean_change:.2e}; predictions that flip {flips:.1%}",
                mean_change=result["mean_change"], flips=result["flips"]))
        return result

    return _panel(draw, controls, _("Loss sensitivity: shift and scale the data"))


def batchnorm_panel(momentum=0.9, batch_size=32, log10_init=-1.0, seed=0):
    """Batch norm's running averages: the momentum, the batch size and the scale of the weights before it."""
    controls = {
        "momentum": widgets.FloatSlider(value=momentum, min=0.0, max=0.99, step=0.01, description=_("momentum"),
                                        continuous_update=False),
        "batch_size": widgets.IntSlider(value=batch_size, min=2, max=256, description=_("batch size"),
                                        continuous_update=False),
        "log10_init": widgets.FloatSlider(value=log10_init, min=-4.0, max=1.0, step=0.1, description="log10 init",
                                          continuous_update=False),
        "seed": _seed_control(seed),
    }

    def draw(momentum, batch_size, log10_init, seed):
        result = running_average_demo(momentum, batch_size, log10_init, seed=seed)
        plot_running_average(result)
        plt.show()
        print(_("unit 0: running mean {running_mean:.3g} vs true {true_mean:.3g}, running variance "
                "{running_var:.3g} vs true {true_var:.3g} (eps {eps:g}); test-mode outputs: "
                "largest |mean| {test_mean:.2f}, std from {std_low:.2f} to {std_high:.2f}",
                running_mean=result["running_mean"][-1], true_mean=result["true_mean"],
                running_var=result["running"].var[0], true_var=result["true_var"], eps=result["eps"],
                test_mean=result["test_mean"], std_low=result["test_std"].min(), std_high=result["test_std"].max()))
        return result

    return _panel(draw, controls, _("Batch norm: running averages"))


def learning_rate_panel(log10_lr=-1.0, seed=0):
    """The learning rate on a log slider and the first 200 steps of the loss of notebook 05's two-layer net."""
    controls = {
        "log10_lr": widgets.FloatSlider(value=log10_lr, min=-7.0, max=1.5, step=0.25, description="log10 lr",
                                        continuous_update=False),
        "seed": _seed_control(seed),
    }

    def draw(log10_lr, seed):
        result = learning_rate_probe(log10_lr, seed=seed)
        plot_loss_probe(result)
        plt.title(_title("Two-layer net, plain SGD, lr = {lr:.1e}", lr=result["lr"]))
        plt.show()
        if result["diverged_at"] is not None:
            print(_("lr {lr:.1e}: the loss became NaN/inf at step {diverged_at}: far too high", lr=result["lr"],
                    diverged_at=result["diverged_at"]))
        else:
            print(_("lr {lr:.1e}: mean loss {start:.3f} over the first 20 steps, {end:.3f} over "
                    "the last 20", lr=result["lr"], start=result["start"], end=result["end"]))
        return result

    return _panel(draw, controls, _("Babysitting: the loss at one learning rate"))


def coarse_to_fine_panel(lr_range=(-6.0, 1.0), reg_range=(-6.0, 1.0), num_trials=40, seed=0):
    """Random search of log-uniform (lr, reg) in the chosen ranges (exponents of 10), on a small, fast linear
    softmax classifier: the scatter of validation accuracy and the fine range the five best trials suggest."""
    controls = {
        "lr_range": widgets.FloatRangeSlider(value=lr_range, min=-8.0, max=2.0, step=0.5, description="log10 lr",
                                             readout_format=".1f", continuous_update=False),
        "reg_range": widgets.FloatRangeSlider(value=reg_range, min=-8.0, max=2.0, step=0.5, description="log10 reg",
                                              readout_format=".1f", continuous_update=False),
        "num_trials": widgets.IntSlider(value=num_trials, min=5, max=100, description=_("trials"),
                                        continuous_update=False),
        "seed": _seed_control(seed),
    }

    def draw(lr_range, reg_range, num_trials, seed):
        if lr_range[0] == lr_range[1] or reg_range[0] == reg_range[1]:
            print(_("give each range some width: its two ends are on the same value"))
            return None
        result = coarse_to_fine_demo(tuple(lr_range), tuple(reg_range), num_trials, seed=seed)
        plot_search_scatter(result["trials"], fine=result["fine"],
                            title=_title("{trials} trials, lr in 1e{lr_low:g}..1e{lr_high:g}, reg in "
                                         "1e{reg_low:g}..1e{reg_high:g}", trials=num_trials, lr_low=lr_range[0],
                                         lr_high=lr_range[1], reg_low=reg_range[0], reg_high=reg_range[1]))
        plt.show()
        fine = result["fine"]
        print(_("best   {trial}", trial=format_trial(result["best"], num_trials)))
        print(_("the five best suggest: log10 lr {lr_low:.2f} .. {lr_high:.2f}, log10 reg "
                "{reg_low:.2f} .. {reg_high:.2f}", lr_low=np.log10(fine["lr"].low),
                lr_high=np.log10(fine["lr"].high), reg_low=np.log10(fine["reg"].low),
                reg_high=np.log10(fine["reg"].high)))
        if result["edge"]:
            names = (_("{first} and {second}", first=result["edge"][0], second=result["edge"][1])
                     if len(result["edge"]) == 2 else result["edge"][0])
            print(_("the best {names} lies at the edge of its range: widen the range that way", names=names))
        return result

    return _panel(draw, controls, _("Coarse to fine: choose the ranges"))


def optimizer_panel(surface="taco", rule="sgd_momentum", log10_lr=-0.5, rho=0.9, beta1=0.9, beta2=0.999,
                    start_x=-3.0, start_y=0.55, noise=0.0, steps=100, seed=0):
    """The optimizer playground: any rule on any surface, its trajectory beside plain SGD's at the same learning
    rate, and the loss per step."""
    slider = dict(continuous_update=False)
    controls = {
        "log10_lr": widgets.FloatSlider(value=log10_lr, min=-6.0, max=1.0, step=0.1, description="log10 lr", **slider),
        "surface": widgets.Dropdown(options=list(SURFACES), value=surface, description=_("surface")),
        "rule": widgets.Dropdown(options=list(RULES), value=rule, description=_("rule")),
        "rho": widgets.FloatSlider(value=rho, min=0.0, max=0.99, step=0.01, description="rho / decay", **slider),
        "beta1": widgets.FloatSlider(value=beta1, min=0.0, max=0.99, step=0.01, description="beta1", **slider),
        "beta2": widgets.FloatSlider(value=beta2, min=0.9, max=0.999, step=0.001, description="beta2",
                                     readout_format=".3f", **slider),
        "start_x": widgets.FloatSlider(value=start_x, min=-3.0, max=3.0, step=0.05, description=_("start x"), **slider),
        "start_y": widgets.FloatSlider(value=start_y, min=-1.5, max=3.0, step=0.05, description=_("start y"), **slider),
        "noise": widgets.FloatSlider(value=noise, min=0.0, max=2.0, step=0.05, description=_("noise"), **slider),
        "steps": widgets.IntSlider(value=steps, min=10, max=1000, step=10, description=_("steps"), **slider),
        "seed": _seed_control(seed),
    }

    def draw(log10_lr, surface, rule, rho, beta1, beta2, start_x, start_y, noise, steps, seed):
        result = optimizer_playground(surface, rule, log10_lr, rho, beta1, beta2, start_x, start_y, noise, steps,
                                      seed=seed)
        fig, (ax_path, ax_loss) = plt.subplots(1, 2, figsize=(11, 4.0), gridspec_kw={"width_ratios": [1.3, 1]})
        settings = ", ".join(f"{k} {v:g}" for k, v in result["hyper"].items())
        runs = {f"{rule} ({settings})" if settings else rule: result["run"], "sgd (same lr)": result["sgd"]}
        plot_trajectories(result["surface"], runs, ax=ax_path, title=f"{surface}, lr {result['lr']:.2g}")
        surface_min = float(result["surface"].value(np.array(result["surface"].minimum)))
        for i, (label, run) in enumerate(runs.items()):
            ax_loss.semilogy(np.maximum(run["loss"] - surface_min, 1e-16), color=f"C{i}", label=label)
        ax_loss.set(xlabel="step", ylabel="loss - minimum", title=_title("Loss per step (log scale)"))
        ax_loss.legend(fontsize=7)
        fig.tight_layout()
        plt.show()
        run = result["run"]
        where = (_("diverged at step {step}", step=run["diverged_at"]) if run["diverged_at"] else
                 _("ends at ({x:.3f}, {y:.3f}), loss {loss:.4g}", x=run["path"][-1, 0], y=run["path"][-1, 1],
                   loss=run["loss"][-1]))
        print(_("{rule}: {where}; plain SGD ends at loss {sgd_loss:.4g}",
                rule=rule, where=where, sgd_loss=result["sgd"]["loss"][-1])
              + (_(" (diverged at step {step})",
                   step=result["sgd"]["diverged_at"]) if result["sgd"]["diverged_at"] else ""))
        return result

    return _panel(draw, controls, _("Optimizer playground"))


def schedule_panel(log10_lr0=0.0, kind="step", time_scale=250, seed=0):
    """A learning-rate schedule and its parameters: lr(t) and the loss curve of notebook 08's fast linear
    classifier, next to the same run at the constant starting rate."""
    controls = {
        "log10_lr0": widgets.FloatSlider(value=log10_lr0, min=-4.0, max=1.0, step=0.1, description="log10 lr0",
                                         continuous_update=False),
        "kind": widgets.Dropdown(options=list(SCHEDULE_KINDS), value=kind, description=_("schedule")),
        "time_scale": widgets.IntSlider(value=time_scale, min=1, max=900, step=1, description=_("time scale T"),
                                        continuous_update=False),
        "seed": _seed_control(seed),
    }

    def draw(log10_lr0, kind, time_scale, seed):
        result = schedule_probe(kind, log10_lr0, time_scale, seed=seed)
        plot_schedule_probe(result)
        plt.show()
        print(_("{kind}: mean loss over the last 200 steps {loss:.3f} (constant lr0: "
                "{constant_loss:.3f}); validation accuracy {val_acc:.3f} (constant: "
                "{constant_acc:.3f})", kind=kind, loss=result["loss"][-200:].mean(),
                constant_loss=result["constant_loss"][-200:].mean(), val_acc=result["val_acc"],
                constant_acc=result["constant_val_acc"]))
        return result

    return _panel(draw, controls, _("Learning-rate schedules"))


def ensemble_panel(members=5, seed=0):
    """The number of ensemble members: independent small networks against snapshots of one cyclic run and against
    one network trained for all the steps (equal compute), validation accuracy as members are added."""

    controls = {
        "members": widgets.IntSlider(value=members, min=1, max=10, description=_("members"), continuous_update=False),
        "seed": _seed_control(seed),
    }

    def draw(members, seed):
        result = ensemble_growth(members, seed=seed)
        steps = members * GROWTH_STEPS
        plot_ensemble_curves({f"independent networks ({GROWTH_STEPS} steps each)": result["independent"],
                              "snapshots of one cyclic run": result["snapshot"]}, members_acc=result["members_acc"],
                             reference={f"one network, all {steps} steps": result["single"]},
                             ylabel="validation accuracy", n=result["n_val"],
                             title=_title("Equal compute: {steps} SGD steps in all (bands: ±2 SE)", steps=steps))
        plt.show()
        right = result["right"]
        print(_("{members} members: independent ensemble {independent:.3f} (members alone: mean "
                "{mean:.3f}, best {best:.3f}); snapshot ensemble "
                "{snapshot:.3f}; one network trained {steps} steps {single:.3f}", members=members,
                independent=result["independent"][-1], mean=result["members_acc"].mean(),
                best=result["members_acc"].max(), snapshot=result["snapshot"][-1], steps=steps,
                single=result["single"]))
        for a, b in (("snapshot", "independent"), ("single", "snapshot"), ("single", "independent")):
            d = paired_difference(right[a], right[b])
            print(_("  {a} minus {b}: {d}: {verdict}", a=a, b=b, d=d, verdict=d.verdict(a, b)))
        return result

    return _panel(draw, controls, _("Ensembles: add members"))


def regularization_panel(log10_reg=-2.0, kind="l2", keep_prob=0.5, seed=0):
    """A regularizer and its strength on a small network trained on 300 images: training and validation accuracy."""
    controls = {
        "log10_reg": widgets.FloatSlider(value=log10_reg, min=-6.0, max=0.0, step=0.25, description="log10 reg",
                                         continuous_update=False),
        "kind": widgets.Dropdown(options=list(PROBE_KINDS), value=kind, description=_("regularizer")),
        "keep_prob": widgets.FloatSlider(value=keep_prob, min=0.05, max=1.0, step=0.05, description="keep prob",
                                         continuous_update=False),
        "seed": _seed_control(seed),
    }

    def draw(log10_reg, kind, keep_prob, seed):
        result = regularization_probe(kind, log10_reg, keep_prob, seed=seed)
        plot_regularization_probe(result)
        plt.show()
        print(_("{kind} ({setting}): final training accuracy {train_acc:.3f}, validation "
                "{val_acc:.3f}, gap {gap:.3f}; weights with |W| < 1e-3: "
                "{near_zero:.1%}", kind=kind, setting=result["setting"], train_acc=result["train_acc"][-1],
                val_acc=result["val_acc"][-1], gap=result["train_acc"][-1] - result["val_acc"][-1],
                near_zero=result["near_zero"]))
        return result

    return _panel(draw, controls, _("Regularization: type and strength"))


def transfer_panel(per_class=2, task="similar", strategy="linear_fc", seed=0):
    """A target task, the amount of data and a cheap transfer strategy: test accuracy and confusion matrix."""
    controls = {
        "per_class": widgets.IntSlider(value=per_class, min=1, max=100, description=_("per class"),
                                       continuous_update=False),
        "task": widgets.Dropdown(options=["similar", "different"], value=task, description=_("target")),
        "strategy": widgets.Dropdown(options=list(CHEAP_STRATEGIES), value=strategy, description=_("strategy")),
        "seed": _seed_control(seed),
    }

    def draw(per_class, task, strategy, seed):
        result = transfer_demo(task, per_class, strategy, seed=seed)
        names = TARGET_NAMES[task]
        plot_confusion(result["confusion"], names, title=_title("{task} target, {per_class} per class, {strategy}: "
                                                                "{accuracy:.3f}", task=task, per_class=per_class,
                                                                strategy=strategy, accuracy=result["accuracy"]))
        plt.tight_layout()
        plt.show()
        print(_("{strategy} on the {task} target with {per_class} training images per class: test accuracy "
                "{accuracy:.3f}", strategy=strategy, task=task, per_class=per_class, accuracy=result["accuracy"]))
        return result

    return _panel(draw, controls, _("Transfer learning: target, data and strategy"))
