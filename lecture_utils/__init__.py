"""lecture_utils: the numpy engine behind the CS231n lecture 7 notebooks ("Training Neural Networks II").

Three rooms (the README's "Map of the package" says more):

- the core, here at the top, one lecture concept per module and numpy alone: optim, schedules, activations,
  layers (with conv), losses, init, gradcheck, models, training, preprocessing, datasets and splits (the data),
  noise (how much of a measured difference is noise); private fast code sits beside the readable code it speeds
  up, in modules whose names start with `_fast_`;
- `experiments`: the lecture's experiments and the computations behind every slider panel (`experiments.panels`);
- `course`: what a learner sees and touches: plotting, widgets, the exercises' checks, the environment check.
"""
__version__ = "0.1.0"

from ._fast_memory import keep_freed_memory as _keep_freed_memory
from ._moved import install as _install_moved_names

_keep_freed_memory()  # a training step re-allocates the same large arrays: reuse them (_fast_memory.py)
_install_moved_names()  # notebooks saved before the package was arranged in rooms still import
