"""Fashion-MNIST: the IDX reader, the full data set and its download, and where the course's own data folder is.

The shipped subset and the data every notebook loads (`load_course_data`) are in `splits`.
"""
import gzip
import hashlib
import os
import sys
import tempfile
import urllib.request
import zlib
from pathlib import Path

import numpy as np


CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")

# SHA-256 of each file's decompressed content (so any gzip wrapping of the genuine data passes)
FILES = {
    "train-images-idx3-ubyte.gz": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte.gz": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte.gz": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte.gz": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}
MIRRORS = (
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
    "https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/",
)
# The course's own data (the subset and the pretrained source model): see find_data_dir for where it is looked for.
DATA_ENV = "LECTURE_UTILS_DATA"
SHIPPED_FILES = ("fashion_mnist_subset.npz", "fashion_mnist_subset.sha256", "source_model.npz")
INSTALLED_DATA = Path("share", "lecture-utils", "data")  # under the install prefix (pyproject.toml's data-files)
PROJECT_ROOT = Path(__file__).resolve().parent.parent  # the checkout's root when the package runs from one
RUNS_FROM_CHECKOUT = (PROJECT_ROOT / "pyproject.toml").is_file()  # False when installed into site-packages
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
HOW_TO_GET = (
    "Get the data with one of:\n"
    "  sudo apt-get install dataset-fashion-mnist     (Debian/Ubuntu; installs to /usr/share/datasets/fashion-mnist)\n"
    "  python -m lecture_utils.datasets download data/fashion-mnist\n"
    "or set FASHION_MNIST_DIR to a folder holding the four .gz files."
)
HOW_TO_GET_COURSE_DATA = (
    f"The course's data ({', '.join(SHIPPED_FILES)}) ships in the repository's data/ folder and with the package "
    f"(pip install puts it in <prefix>/{INSTALLED_DATA.as_posix()}). Restore it with `git checkout -- data` in a "
    f"checkout, reinstall the package, or set {DATA_ENV} to a folder holding those files."
)

# IDX type codes: http://yann.lecun.com/exdb/mnist/ (bottom of the page); big-endian
_IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_CHUNK = 1 << 20


class DatasetError(ValueError):
    """A data file is corrupt, truncated, or not the genuine Fashion-MNIST."""


class DatasetNotFoundError(DatasetError, FileNotFoundError):
    """A data folder or file is missing; the message says where we looked and how to get it."""


def _data_dir_candidates():
    """(where, folder) in the order find_data_dir tries them; lazy, so a checkout never reads package metadata."""
    if os.environ.get(DATA_ENV):
        yield f"${DATA_ENV}", Path(os.environ[DATA_ENV]).expanduser()
    if RUNS_FROM_CHECKOUT:
        yield "the checkout", PROJECT_ROOT / "data"
    seen = set()
    from importlib import metadata

    try:  # where the installer put the data-files, as its RECORD says (venv, --user, --prefix alike)
        files = metadata.distribution("lecture-utils").files or ()
    except (metadata.PackageNotFoundError, OSError, ValueError):  # a bare copy of the package: the prefix below
        files = ()
    for entry in files:
        if entry.parts[-4:-1] == INSTALLED_DATA.parts and entry.name == SHIPPED_FILES[0]:
            folder = Path(entry.locate()).resolve().parent
            seen.add(folder)
            yield "the installed package", folder
    folder = Path(sys.prefix).resolve() / INSTALLED_DATA
    if folder not in seen:
        yield "the install prefix", folder


def _search_data_dir():
    """(the first folder holding every shipped file or None, the first folder tried, lines saying where we looked)."""
    looked, first = [], None
    for where, folder in _data_dir_candidates():
        first = first or folder
        lacking = [name for name in SHIPPED_FILES if not (folder / name).is_file()]
        if not lacking:
            return folder, first, looked
        state = "missing" if not folder.is_dir() else "lacks " + ", ".join(lacking)
        looked.append(f"  {folder} ({where}: {state})")
    return None, first, looked


def find_data_dir():
    """The folder of the course's own data: the first of these that holds all of SHIPPED_FILES:

    1. $LECTURE_UTILS_DATA, if set;
    2. data/ of the checkout, when the package runs from one (a clone, with or without `pip install -e .`);
    3. the copy installed with the package (`pip install .` puts it in <prefix>/share/lecture-utils/data).

    Raises DatasetNotFoundError saying where it looked when none has them. DATA_DIR is this folder as found at
    import (or, when none has the files, the first one tried, so that messages name it).
    """
    found, _, looked = _search_data_dir()
    if found is None:
        raise DatasetNotFoundError("The course's data folder was not found. Looked in:\n" + "\n".join(looked)
                                   + "\n" + HOW_TO_GET_COURSE_DATA)
    return found


_found, _first, _ = _search_data_dir()
DATA_DIR = _found or _first  # the shipped subset and the pretrained source model
del _found, _first


def _open(path):
    """A binary stream of the file's content, decompressed if it is gzipped (by its magic bytes)."""
    with open(path, "rb") as f:
        gzipped = f.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gzipped else open(path, "rb")


def _read_checked(path):
    """The decompressed content of an IDX file, after checking it against its own header.

    Returns: (header bytes, data bytes, dtype, dims). Memory grows with the data actually read,
    never with what the header claims.
    """
    path = Path(path)
    try:
        with _open(path) as f:
            head = f.read(4)
            if len(head) < 4 or head[:2] != b"\x00\x00" or head[2] not in _IDX_DTYPES or head[3] == 0:
                raise DatasetError(f"{path}: not an IDX file (wrong magic number {head.hex() or 'empty'})")
            dtype, ndim = np.dtype(_IDX_DTYPES[head[2]]), head[3]
            dim_bytes = f.read(4 * ndim)
            if len(dim_bytes) < 4 * ndim:
                raise DatasetError(f"{path}: truncated in the header ({len(dim_bytes)} of {4 * ndim} size bytes)")
            dims = tuple(int.from_bytes(dim_bytes[4 * i:4 * i + 4], "big") for i in range(ndim))
            expected = dtype.itemsize * int(np.prod(dims, dtype=object))  # Python ints: no overflow
            data = bytearray()
            while len(data) <= expected:
                chunk = f.read(min(_CHUNK, expected + 1 - len(data)))
                if not chunk:
                    break
                data += chunk
    except (EOFError, OSError, zlib.error) as e:
        if isinstance(e, FileNotFoundError):
            raise DatasetNotFoundError(f"{path}: no such file. {HOW_TO_GET}") from e
        raise DatasetError(f"{path}: truncated or corrupt compressed data ({e})") from e
    if len(data) < expected:
        raise DatasetError(f"{path}: truncated: the header promises {expected} bytes of data for shape "
                           f"{dims}, the file has {len(data)}")
    if len(data) > expected:
        raise DatasetError(f"{path}: size disagrees with the header: more than the {expected} bytes "
                           f"of data that shape {dims} needs")
    return head + dim_bytes, bytes(data), dtype, dims


def read_idx(path):
    """Read an IDX file (gzipped or not) into an array of the shape and dtype its header gives.

    A wrong magic number, a size that disagrees with the header, or a truncated file raises
    DatasetError naming the file.
    """
    _, data, dtype, dims = _read_checked(path)
    return np.frombuffer(data, dtype=dtype).reshape(dims).astype(dtype.newbyteorder("="))


def _read_verified(path, name):
    """read_idx plus the SHA-256 check of the decompressed content against the genuine file."""
    header, data, dtype, dims = _read_checked(path)
    digest = hashlib.sha256(header + data).hexdigest()
    if digest != FILES[name]:
        raise DatasetError(f"{path}: content SHA-256 {digest} is not that of the genuine Fashion-MNIST "
                           f"{name} ({FILES[name]}); delete it and get the data again. {HOW_TO_GET}")
    return np.frombuffer(data, dtype=dtype).reshape(dims).astype(dtype.newbyteorder("="))


def _find(folder, name):
    """The file `name` in folder, or its decompressed twin without .gz; None if neither exists."""
    for candidate in (folder / name, folder / name[:-3]):
        if candidate.is_file():
            return candidate
    return None


def _candidate_dirs(root):
    if root is not None:
        return [Path(root)]  # an explicit folder is the only place we look
    dirs = [Path(os.environ["FASHION_MNIST_DIR"])] if os.environ.get("FASHION_MNIST_DIR") else []
    return dirs + [DATA_DIR / "fashion-mnist", DEBIAN_DIR]


def find_fashion_mnist(root=None):
    """The paths of the four files in the first folder that has them all (see load_fashion_mnist).

    Raises DatasetNotFoundError saying where it looked and how to get the data.
    """
    looked = []
    for folder in _candidate_dirs(root):
        paths = {name: _find(folder, name) for name in FILES}
        if all(paths.values()):
            return paths
        state = "missing" if not folder.is_dir() else "lacks " + ", ".join(n for n, p in paths.items() if p is None)
        looked.append(f"  {folder} ({state})")
    raise DatasetNotFoundError("Fashion-MNIST not found. Looked in:\n" + "\n".join(looked) + "\n" + HOW_TO_GET)


def load_fashion_mnist(root=None):
    """The full Fashion-MNIST: 60,000 training and 10,000 test images of 28x28, uint8.

    Looks in `root` if given; otherwise in $FASHION_MNIST_DIR, then data/fashion-mnist/ in this
    project, then /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist). Each file's
    decompressed content is checked against the genuine SHA-256.

    Returns: dict with X_train (60000, 28, 28) uint8, y_train (60000,) uint8, X_test (10000, 28, 28),
    y_test (10000,), classes (the 10 names; index = label).
    """
    arrays = {name: _read_verified(path, name) for name, path in find_fashion_mnist(root).items()}
    return {
        "X_train": arrays["train-images-idx3-ubyte.gz"],
        "y_train": arrays["train-labels-idx1-ubyte.gz"],
        "X_test": arrays["t10k-images-idx3-ubyte.gz"],
        "y_test": arrays["t10k-labels-idx1-ubyte.gz"],
        "classes": list(CLASSES),
    }


def download_fashion_mnist(dest, *, mirrors=MIRRORS, timeout=60):
    """Download the four Fashion-MNIST files into `dest` and check each one's content.

    Files already present and genuine are kept. Each download goes to a temporary file in `dest`
    and is renamed to its final name only after its SHA-256 checks out, so an interrupted or
    corrupt download never leaves a file under the final name. Mirrors are tried in order.
    Returns: the Path of dest.
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        final = dest / name
        if final.exists():
            try:
                _read_verified(final, name)
                continue
            except DatasetError:
                pass  # replace a bad copy with a good one
        errors = []
        for base in mirrors:
            try:
                _fetch(base + name, final, name, timeout)
                break
            except (OSError, DatasetError) as e:
                errors.append(f"  {base + name}: {e}")
        else:
            raise DatasetError(f"could not download {name}:\n" + "\n".join(errors))
    return dest


def atomic_write(final, write, verify=None):
    """Create `final` through a temporary file beside it: write(file) fills it, verify(path) may
    reject it by raising, and only then is it renamed into place (atomic on one file system).
    On any error the temporary file is removed and `final` is left as it was."""
    final = Path(final)
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        if verify is not None:
            verify(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual permissions
        os.replace(tmp, final)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _fetch(url, final, name, timeout):
    """Stream url into a temporary file beside `final`, verify its content, then rename it."""

    def write(out):
        with urllib.request.urlopen(url, timeout=timeout) as response:
            while chunk := response.read(_CHUNK):
                out.write(chunk)

    atomic_write(final, write, verify=lambda tmp: _read_verified(tmp, name))

if __name__ == "__main__":  # python -m lecture_utils.datasets download DEST
    import sys

    if len(sys.argv) != 3 or sys.argv[1] != "download":
        sys.exit("usage: python -m lecture_utils.datasets download DEST")
    print(f"Fashion-MNIST is ready in {download_fashion_mnist(sys.argv[2])}")
