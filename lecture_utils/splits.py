"""Stratified splits, the course's shipped subset of Fashion-MNIST, and the data every notebook loads."""
import hashlib
import re
import zipfile
from pathlib import Path

import numpy as np

from . import datasets
from ._validation import check_generator, check_int
from .datasets import CLASSES, DATA_DIR, DatasetError, DatasetNotFoundError, load_fashion_mnist

SUBSET_PATH = DATA_DIR / "fashion_mnist_subset.npz"
SUBSET_SIZES = {"train": 10_000, "val": 1_500, "test": 1_500}  # per split; stratified over 10 classes
SUBSET_SEED = 231
SPLIT_KEYS = ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test")


def stratified_indices(y, sizes, rng):
    """Disjoint index arrays, one per entry of `sizes`, each with the same count from every class.

    Inputs:
    - y: (N,) integer labels; sizes: list of split sizes, each a multiple of the number of classes
    - rng: numpy.random.Generator
    Returns: list of index arrays into y, each shuffled.
    """
    check_generator("rng", rng)
    classes = np.unique(y)
    for i, size in enumerate(sizes):
        check_int(f"sizes[{i}]", size, minimum=0)
        if size % len(classes):
            raise ValueError(f"sizes[{i}] must be a multiple of the {len(classes)} classes, got {size}")
    per_class = [size // len(classes) for size in sizes]
    parts = [[] for _ in sizes]
    for c in classes:
        members = rng.permutation(np.flatnonzero(y == c))
        if sum(per_class) > len(members):
            raise ValueError(f"class {c} has {len(members)} examples, fewer than the {sum(per_class)} asked for")
        bounds = np.cumsum([0, *per_class])
        for part, lo, hi in zip(parts, bounds[:-1], bounds[1:]):
            part.append(members[lo:hi])
    return [rng.permutation(np.concatenate(part)) for part in parts]


def file_sha256(path):
    """SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


_SHA256_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")


def recorded_subset_sha256():
    """The subset's SHA-256 as recorded beside it, in SUBSET_PATH with the suffix .sha256.

    tools/make_subset.py writes that file in `sha256sum`'s format (`sha256sum -c` checks it too): one line, the
    64 hexadecimal digits, two spaces, the file's name. It is read at each call, so the file is the one record.
    Raises DatasetNotFoundError if it is missing, DatasetError if it is not such a line for the subset.
    """
    path = SUBSET_PATH.with_suffix(".sha256")
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError as e:
        raise DatasetNotFoundError(f"{path}: the subset's recorded SHA-256 is missing. {_where_looked()}") from e
    except (OSError, UnicodeDecodeError) as e:
        raise DatasetError(f"{path}: cannot read the subset's recorded SHA-256 ({e})") from e
    lines = text.splitlines()
    match = _SHA256_LINE.fullmatch(lines[0]) if len(lines) == 1 else None
    if match is None or match[2] != SUBSET_PATH.name:
        raise DatasetError(f"{path}: not a `sha256sum` line for {SUBSET_PATH.name} (64 lowercase hexadecimal "
                           f"digits, two spaces, the name); restore it with the subset or rebuild both with "
                           f"`python tools/make_subset.py`")
    return match[1]


def _where_looked():
    """Where the course's data folder was looked for, and how to get it (for messages about a missing file)."""
    try:
        found = datasets.find_data_dir()
    except DatasetNotFoundError as e:
        return str(e)
    return f"The course's data folder is {found}. {datasets.HOW_TO_GET_COURSE_DATA}"


def __getattr__(name):
    """SUBSET_SHA256: the recorded SHA-256 (recorded_subset_sha256()), read when asked for; None if unreadable."""
    if name == "SUBSET_SHA256":
        try:
            return recorded_subset_sha256()
        except DatasetError:
            return None
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def check_subset(path=None):
    """Check the subset file's SHA-256 against the recorded one (recorded_subset_sha256); returns the digest.

    Raises DatasetNotFoundError if the file or the record is missing, DatasetError if they disagree.
    """
    path = SUBSET_PATH if path is None else Path(path)
    if not path.is_file():
        where = _where_looked() if path == SUBSET_PATH else ""
        raise DatasetNotFoundError(f"{path}: the course's data subset is missing. It ships with the repository "
                                   f"and the package; restore it with `git checkout -- data/{path.name}` or "
                                   f"rebuild it with `python tools/make_subset.py` from the full data. {where}".rstrip())
    expected = recorded_subset_sha256()
    digest = file_sha256(path)
    if digest != expected:
        raise DatasetError(f"{path}: SHA-256 {digest} differs from the recorded {expected} "
                           f"({SUBSET_PATH.with_suffix('.sha256')}); the file is corrupt or not the course's subset "
                           f"(a Git LFS pointer?). Restore both files with git or rebuild them with "
                           f"`python tools/make_subset.py`.")
    return digest


def load_fashion_mnist_subset(path=None, *, verify=True):
    """The course's stratified subset: 10,000 train, 1,500 validation and 1,500 test images.

    Train and validation come from Fashion-MNIST's training set, test from its test set, with the
    same number of images of every class. The file's SHA-256 is checked against the one recorded in
    data/fashion_mnist_subset.sha256 (see check_subset; unless a path to another file is given with verify=False).

    Returns: dict with X_train (10000, 28, 28) uint8, y_train (10000,) uint8, X_val, y_val, X_test,
    y_test and classes.
    """
    path = SUBSET_PATH if path is None else Path(path)
    if verify:
        check_subset(path)
    elif not path.is_file():
        raise DatasetNotFoundError(f"{path}: no such file (the subset to load)")
    try:
        with np.load(path, allow_pickle=False) as archive:
            data = {key: archive[key] for key in SPLIT_KEYS}
    except NotImplementedError as e:  # zipfile without the lzma module
        raise DatasetError(f"{path}: this Python was built without the lzma module, which the subset's "
                           f"compression needs; use a Python with lzma (python.org, Debian, conda)") from e
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as e:
        raise DatasetError(f"{path}: cannot read the subset ({e})") from e
    data["classes"] = list(CLASSES)
    return data


def load_course_data(full=False, *, val_size=5_000, seed=SUBSET_SEED):
    """What every notebook loads: the shipped subset, or with full=True the whole Fashion-MNIST.

    The full version holds out a stratified `val_size` images of the 60,000 training images for
    validation (55,000 train by default) and keeps the 10,000 test images.
    Returns: the same keys as load_fashion_mnist_subset.
    """
    if not full:
        return load_fashion_mnist_subset()
    full_data = load_fashion_mnist()
    y = full_data["y_train"]
    val, train = stratified_indices(y, [val_size, len(y) - val_size], np.random.default_rng(seed))
    return {
        "X_train": full_data["X_train"][train], "y_train": y[train],
        "X_val": full_data["X_train"][val], "y_val": y[val],
        "X_test": full_data["X_test"], "y_test": full_data["y_test"],
        "classes": full_data["classes"],
    }
