"""lecture_utils: the numpy engine behind the CS231n lecture 7 notebooks ("Training Neural Networks II").

One lecture concept per module. The core imports numpy alone: optim, schedules, activations, layers, conv,
losses, init, gradcheck, noise (standard errors and paired comparisons), models, training, datasets, splits,
preprocessing, propagation (activations and
gradients through depth), sensitivity (the loss's sensitivity to the weights), batchnorm (Algorithm 1 taken
apart), checks (the exercises' checks) and environment; `fast` holds the in-place update rules the training loop
uses. Only `plotting` imports matplotlib and only `widgets` imports ipywidgets.
"""
__version__ = "0.1.0"

from ._memory import keep_freed_memory as _keep_freed_memory

_keep_freed_memory()  # a training step re-allocates the same large arrays: reuse them, don't page-fault
