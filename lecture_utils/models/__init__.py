"""Every model of the course, with the protocol `train` uses: a `params` dict of arrays, `loss(X, y, rng=rng) ->
(loss, grads)` in train mode and `loss(X) -> scores` in test mode; each adds its penalty with losses.weight_penalty.

- `FullyConnectedNet` (the contract's) and `MaxoutNet`: fully_connected.py;
- `ConvNet` (notebook 10, max or fractional pooling) and `SourceNet` (notebook 11's pretrained network):
  convolutional.py;
- `ResidualNet` (notebook 10's stochastic depth): residual.py.
"""
from .convolutional import SOURCE_STAGES, ConvNet, SourceNet
from .fully_connected import NORMALIZATIONS, PRELU_ALPHA0, FullyConnectedNet, MaxoutNet
from .residual import ResidualNet

__all__ = ["FullyConnectedNet", "MaxoutNet", "ConvNet", "SourceNet", "ResidualNet", "SOURCE_STAGES",
           "NORMALIZATIONS", "PRELU_ALPHA0"]
