"""Slider panels: thin ipywidgets layers over pure functions of the core (the only module importing ipywidgets).

Each panel takes its starting values as arguments (the same numbers the notebook's text quotes),
has a seed control, and redraws only when a slider is released (continuous_update=False) when one
computation takes more than about 50 ms. The numbers come from a pure core function that the tests
call over a grid of slider values; the panel only draws what that function returns.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import display

from .gradcheck import step_size_sweep
from .plotting import plot_step_size_sweep


# every panel's pure computation with the defaults its notebook starts from (timed by make bench)
COMPUTATIONS = {
    "step_size_panel": (step_size_sweep, {"log10_h": -5.0, "seed": 0}),
}


def _seed_control(seed):
    return widgets.BoundedIntText(value=seed, min=0, max=2**31 - 1, description="seed",
                                  layout=widgets.Layout(width="170px"))


def _panel(compute_and_draw, controls, title):
    """A titled box of controls over an output area that compute_and_draw(**values) fills.

    The box's `state["result"]` holds what the last redraw computed (for tests and curious readers).
    """
    state = {}

    def redraw(**values):
        state["result"] = compute_and_draw(**values)

    out = widgets.interactive_output(redraw, controls)
    box = widgets.VBox([widgets.HTML(f"<b>{title}</b>"), widgets.HBox(list(controls.values())), out])
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
        print(f"h = {result['h']:.1e}: max relative error {result['float64']['at_h']:.1e} in float64, "
              f"{result['float32']['at_h']:.1e} in float32")
        return result

    return _panel(draw, controls, "Gradient check: choose the step h")
