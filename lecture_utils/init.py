"""Weight initialization: zero-mean Gaussian weights whose spread keeps activations alive."""
import numbers

import numpy as np

from ._validation import check_choice, check_generator, check_int, check_positive

SCHEMES = {
    # name: std as a function of (fan_in, fan_out)
    "xavier": lambda fan_in, fan_out: 1.0 / np.sqrt(fan_in),  # the lecture's Xavier, for tanh
    "he": lambda fan_in, fan_out: np.sqrt(2.0 / fan_in),  # ReLU zeroes half: twice the variance
    "glorot": lambda fan_in, fan_out: np.sqrt(2.0 / (fan_in + fan_out)),  # the paper's compromise
}


def init_std(fan_in, fan_out, scheme):
    """The standard deviation that `init_weights` uses for a scheme name or a float std."""
    check_int("fan_in", fan_in, minimum=1)
    check_int("fan_out", fan_out, minimum=1)
    if isinstance(scheme, numbers.Real) and not isinstance(scheme, bool):
        check_positive("scheme", scheme, allow_zero=True)
        return float(scheme)
    check_choice("scheme", scheme, SCHEMES)
    return float(SCHEMES[scheme](fan_in, fan_out))


def init_weights(fan_in, fan_out, scheme, rng):
    """A (fan_in, fan_out) weight matrix drawn from N(0, std ** 2).

    Convention: "xavier" is the lecture's std = 1 / sqrt(fan_in) (Glorot and Bengio's forward
    condition); "glorot" is the paper's std = sqrt(2 / (fan_in + fan_out)), which also balances the
    backward pass; "he" is std = sqrt(2 / fan_in) (He et al., 2015), always from fan_in. A float
    gives the std itself: 0.01 is the slide's "small random numbers".

    Returns: array (fan_in, fan_out), float64 (cast it to the model's dtype).
    """
    std = init_std(fan_in, fan_out, scheme)
    check_generator("rng", rng)
    return std * rng.standard_normal((fan_in, fan_out))
