"""The computation behind every slider panel, with the values its notebook starts from.

Each panel in `course.widgets` draws what one of these pure functions returns; the tests call them over a grid
of slider values (tests/test_panels.py) and `make bench` times each at these defaults.
"""
from ..gradcheck import step_size_sweep
from .batchnorm import running_average_demo
from .ensembles import ensemble_growth
from .landscapes import optimizer_playground
from .monitoring import learning_rate_probe
from .propagation import activation_profile, init_profile
from .regularization import regularization_probe
from .search import coarse_to_fine_demo
from .sensitivity import boundary_sensitivity
from .softmax_demo import schedule_probe
from .transfer import transfer_demo

# panel name in course.widgets -> (computation, the keyword arguments its notebook starts from)
COMPUTATIONS = {
    "step_size_panel": (step_size_sweep, {"log10_h": -5.0, "seed": 0}),
    "activation_panel": (activation_profile, {"activation": "leaky_relu", "alpha": 0.1, "seed": 0}),
    "boundary_panel": (boundary_sensitivity, {"shift": 30.0, "scale": 1.0, "seed": 0}),
    "batchnorm_panel": (running_average_demo, {"momentum": 0.9, "batch_size": 32, "log10_init": -1.0, "seed": 0}),
    "init_panel": (init_profile, {"init": "std", "log10_std": -2.0, "activation": "tanh", "depth": 10,
                                  "width": 256, "seed": 0}),
    "learning_rate_panel": (learning_rate_probe, {"log10_lr": -1.0, "seed": 0}),
    "coarse_to_fine_panel": (coarse_to_fine_demo, {"lr_range": (-6.0, 1.0), "reg_range": (-6.0, 1.0),
                                                   "num_trials": 40, "seed": 0}),
    "optimizer_panel": (optimizer_playground, {"surface": "taco", "rule": "sgd_momentum", "log10_lr": -0.5, "rho": 0.9,
                                               "beta1": 0.9, "beta2": 0.999, "start_x": -3.0, "start_y": 0.55,
                                               "noise": 0.0, "steps": 100, "seed": 0}),
    "schedule_panel": (schedule_probe, {"log10_lr0": 0.0, "kind": "step", "time_scale": 250, "seed": 0}),
    "ensemble_panel": (ensemble_growth, {"members": 5, "seed": 0}),
    "regularization_panel": (regularization_probe, {"log10_reg": -2.0, "kind": "l2", "keep_prob": 0.5, "seed": 0}),
    "transfer_panel": (transfer_demo, {"per_class": 2, "task": "similar", "strategy": "linear_fc", "seed": 0}),
}
