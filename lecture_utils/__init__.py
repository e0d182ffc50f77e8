"""lecture_utils: the numpy engine behind the CS231n lecture 7 notebooks ("Training Neural Networks II").

The core modules import numpy alone: optim, schedules, activations, layers, conv, losses, init,
gradcheck, models, training, datasets, splits, preprocessing. Only `plotting` imports matplotlib.
"""
__version__ = "0.1.0"
