"""Build data/fashion_mnist_subset.npz, the stratified subset every notebook runs on by default.

    python tools/make_subset.py [--root FOLDER]

Reads the genuine Fashion-MNIST (see lecture_utils.datasets.load_fashion_mnist for where it
looks), draws 10,000 training and 1,500 validation images from its training set and 1,500 test
images from its test set, the same number from every class, with a fixed seed. The archive is an
ordinary .npz whose members are LZMA-compressed (np.load reads it with allow_pickle=False): plain
deflate would need 6 MB for these 13,000 images, LZMA fits them under 5 MB. It then writes the
file's SHA-256 beside it and into lecture_utils/splits.py, which the loader checks.
"""
import argparse
import io
import re
import sys
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lecture_utils import splits  # noqa: E402
from lecture_utils.datasets import atomic_write, load_fashion_mnist  # noqa: E402


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
    path = splits.SUBSET_PATH
    write_npz_lzma(path, build(args.root))
    digest = splits.file_sha256(path)
    path.with_suffix(".sha256").write_text(f"{digest}  {path.name}\n")
    source = Path(splits.__file__)
    text = re.sub(r'SUBSET_SHA256 = "[^"]*"', f'SUBSET_SHA256 = "{digest}"', source.read_text())
    source.write_text(text)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB), SHA-256 {digest}")


if __name__ == "__main__":
    main()
