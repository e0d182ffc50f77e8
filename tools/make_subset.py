"""Build data/fashion_mnist_subset.npz, the stratified subset every notebook runs on by default.

    python tools/make_subset.py [--root FOLDER]

Reads the genuine Fashion-MNIST (see lecture_utils.datasets.load_fashion_mnist for where it
looks), draws 10,000 training and 1,500 validation images from its training set and 1,500 test
images from its test set, the same number from every class, with a fixed seed. The archive is an
ordinary .npz whose members are LZMA-compressed (np.load reads it with allow_pickle=False): plain
deflate would need 6 MB for these 13,000 images, LZMA fits them under 5 MB. It then writes the
file's SHA-256 beside it, in data/fashion_mnist_subset.sha256 (`sha256sum`'s format), the record the
loader checks the subset against (lecture_utils.splits.recorded_subset_sha256).

Both files go to this checkout's data/ (the tool runs from a checkout; lecture_utils must be installed,
as `make install` does).
"""
import argparse
import io
import zipfile
from pathlib import Path

import numpy as np

from lecture_utils import splits
from lecture_utils.datasets import atomic_write, load_fashion_mnist

OUT = Path(__file__).resolve().parent.parent / "data" / splits.SUBSET_PATH.name


def build(root=None):
    full = load_fashion_mnist(root)
    rng = np.random.default_rng(splits.SUBSET_SEED)
    train, val = splits.stratified_indices(
        full["y_train"], [splits.SUBSET_SIZES["train"], splits.SUBSET_SIZES["val"]], rng)
    (test,) = splits.stratified_indices(full["y_test"], [splits.SUBSET_SIZES["test"]], rng)
    return {
        "X_train": full["X_train"][train], "y_train": full["y_train"][train],
        "X_val": full["X_train"][val], "y_val": full["y_train"][val],
        "X_test": full["X_test"][test], "y_test": full["y_test"][test],
    }


def write_npz_lzma(path, arrays):
    """An .npz (a zip of .npy files) with LZMA members, written atomically; fixed timestamps so
    the same arrays always give the same bytes."""

    def write(f):
        with zipfile.ZipFile(f, "w") as archive:
            for key, value in arrays.items():
                buffer = io.BytesIO()
                np.lib.format.write_array(buffer, np.ascontiguousarray(value), allow_pickle=False)
                info = zipfile.ZipInfo(f"{key}.npy", date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_LZMA
                archive.writestr(info, buffer.getvalue())

    atomic_write(path, write)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", help="folder with the four Fashion-MNIST .gz files")
    args = parser.parse_args()
    path = OUT
    write_npz_lzma(path, build(args.root))
    digest = splits.file_sha256(path)
    atomic_write(path.with_suffix(".sha256"), lambda f: f.write(f"{digest}  {path.name}\n".encode("ascii")))
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB), SHA-256 {digest}")


if __name__ == "__main__":
    main()
