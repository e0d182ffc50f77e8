"""Dropout and DropConnect masks from the bit generator's raw words: the fast twin of `rng.random(shape) < p`.

Measured (benchmarks/README.md): 0.56 -> 0.32 ms per 256 x 512 float32 mask, 5% of the benchmark's training step
with two dropout layers. tests/test_fast.py checks that the masks and the generator's state afterwards are
bit for bit those of `rng.random(shape, dtype=dtype) < p`, so every notebook's numbers are the same either way.
"""
import math
import sys

import numpy as np


def uniform_below(rng, shape, dtype, p):
    """rng.random(shape, dtype=dtype) < p, bit for bit (same mask, same generator state after), about twice as fast.

    numpy's float32 uniform is (u >> 8) * 2**-24 for the next 32 random bits u, and its float64 uniform is
    (u >> 11) * 2**-53 for the next 64: so "uniform < p" is "u < threshold" for an integer threshold, and the bits can
    come straight from the bit generator's raw 64-bit output (PCG64, numpy's default; a float32 takes the low half of
    a 64-bit word, then the high half). Any other generator, or a big-endian machine, takes rng.random itself.
    """
    dtype, count = np.dtype(dtype), int(np.prod(shape))
    fast = dtype in (np.float32, np.float64) and type(rng.bit_generator) is np.random.PCG64 and sys.byteorder == "little"
    p = dtype.type(p)  # the comparison happens in the array's precision
    if not fast or not 0 < p < 1 or count == 0:
        return rng.random(shape, dtype=dtype) < p
    mantissa, word = (24, 32) if dtype == np.float32 else (53, 64)
    threshold = math.ceil(float(p) * 2**mantissa) << (word - mantissa)  # u < threshold <=> uniform < p
    if dtype == np.float64:
        return (rng.bit_generator.random_raw(count) < np.uint64(threshold)).reshape(shape)
    state = rng.bit_generator.state
    pending = [np.uint32(state["uinteger"])] if state["has_uint32"] else []  # half a word left by an earlier draw
    words = rng.bit_generator.random_raw((count - len(pending) + 1) // 2)
    u = np.concatenate([pending, words.view(np.uint32)]) if pending else words.view(np.uint32)
    if pending or len(u) > count:  # tell the generator whether half a word is left over, as numpy's own draw would
        state = rng.bit_generator.state  # (advanced by random_raw)
        state["has_uint32"] = int(len(u) > count)  # an odd count leaves the high half of the last word
        if len(u) > count:
            state["uinteger"] = int(u[count])
        rng.bit_generator.state = state
    return (u[:count] < np.uint32(threshold)).reshape(shape)
