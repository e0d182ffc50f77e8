import gzip
import hashlib
import http.server
import os
import threading
from pathlib import Path

import numpy as np
import pytest

from lecture_utils import datasets, splits
from lecture_utils.datasets import DatasetError, DatasetNotFoundError, load_fashion_mnist, read_idx

DEBIAN = Path("/usr/share/datasets/fashion-mnist")
have_full = all((DEBIAN / name).is_file() for name in datasets.FILES)
needs_full = pytest.mark.skipif(not have_full and not os.environ.get("REQUIRE_FULL_DATA"),
                                reason="the full Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)")


def idx_bytes(array):
    code = {np.uint8: 0x08, np.int32: 0x0C, np.float32: 0x0D}[array.dtype.type]
    header = bytes([0, 0, code, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


@pytest.mark.parametrize("dtype", [np.uint8, np.int32, np.float32])
@pytest.mark.parametrize("compress", [False, True])
def test_read_idx_round_trip(tmp_path, dtype, compress):
    array = np.arange(24).reshape(2, 3, 4).astype(dtype)
    path = tmp_path / "a.idx"
    path.write_bytes(gzip.compress(idx_bytes(array)) if compress else idx_bytes(array))
    got = read_idx(path)
    assert got.dtype == dtype and got.dtype.isnative
    np.testing.assert_array_equal(got, array)


@pytest.mark.parametrize("content,message", [
    (b"\x00\x01\x08\x01\x00\x00\x00\x02ab", "wrong magic number"),
    (b"\x00\x00\x42\x01\x00\x00\x00\x02ab", "wrong magic number"),
    (b"", "wrong magic number"),
    (b"\x00\x00\x08\x02\x00\x00", "truncated in the header"),
    (b"\x00\x00\x08\x01\x00\x00\x00\x05abc", "truncated: the header promises 5 bytes"),
    (b"\x00\x00\x08\x01\x00\x00\x00\x02abc", "size disagrees with the header"),
    # a header claiming 2**32 * 2**32 bytes: refused when the data runs out, nothing allocated for it
    (b"\x00\x00\x08\x02\xff\xff\xff\xff\xff\xff\xff\xffab", "truncated"),
])
@pytest.mark.parametrize("compress", [False, True])
def test_read_idx_rejects_bad_files_naming_them(tmp_path, content, message, compress):
    path = tmp_path / "bad.idx"
    path.write_bytes(gzip.compress(content) if compress else content)
    with pytest.raises(DatasetError, match=message) as err:
        read_idx(path)
    assert str(path) in str(err.value)


def test_read_idx_truncated_gzip(tmp_path):
    path = tmp_path / "cut.gz"
    path.write_bytes(gzip.compress(idx_bytes(np.zeros((100, 100), np.uint8)))[:-20])
    with pytest.raises(DatasetError, match="truncated"):
        read_idx(path)


def test_dataset_errors_are_value_errors():
    assert issubclass(DatasetError, ValueError) and issubclass(DatasetNotFoundError, FileNotFoundError)


def test_missing_folder_says_where_it_looked_and_how_to_get_the_data(tmp_path):
    with pytest.raises(DatasetNotFoundError) as err:
        load_fashion_mnist(tmp_path / "nowhere")
    message = str(err.value)
    assert str(tmp_path / "nowhere") in message and "apt-get install dataset-fashion-mnist" in message
    assert "download" in message


def test_missing_file_is_named(tmp_path):
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(b"")
    with pytest.raises(DatasetNotFoundError, match="lacks train-labels-idx1-ubyte.gz"):
        load_fashion_mnist(tmp_path)


def test_search_order_uses_the_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tmp_path))
    dirs = datasets._candidate_dirs(None)
    assert dirs[0] == tmp_path and dirs[-1] == datasets.DEBIAN_DIR
    assert datasets._candidate_dirs(tmp_path / "x") == [tmp_path / "x"]


def fake_set(folder, corrupt=None):
    """Four well-formed IDX files that are not the genuine data."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in datasets.FILES:
        shape = (3, 28, 28) if "images" in name else (3,)
        (folder / name).write_bytes(gzip.compress(idx_bytes(np.ones(shape, np.uint8))))
    return folder


def test_content_that_is_not_genuine_is_refused_by_name(tmp_path):
    with pytest.raises(DatasetError, match=r"train-images-idx3-ubyte.gz: content SHA-256 .* is not that of the genuine"):
        load_fashion_mnist(fake_set(tmp_path))


@needs_full
def test_load_the_real_files():
    data = load_fashion_mnist(DEBIAN)
    assert data["X_train"].shape == (60000, 28, 28) and data["X_train"].dtype == np.uint8
    assert data["y_train"].shape == (60000,) and data["X_test"].shape == (10000, 28, 28)
    assert data["y_test"].shape == (10000,) and len(data["classes"]) == 10
    assert np.bincount(data["y_train"]).tolist() == [6000] * 10
    assert data["classes"][9] == "Ankle boot"


@needs_full
def test_any_gzip_wrapping_of_the_genuine_data_is_accepted(tmp_path):
    for name in datasets.FILES:  # recompress at another level, and one file not compressed at all
        content = gzip.decompress((DEBIAN / name).read_bytes())
        if name.startswith("t10k-labels"):
            (tmp_path / name[:-3]).write_bytes(content)
        else:
            (tmp_path / name).write_bytes(gzip.compress(content, compresslevel=1, mtime=0))
    data = load_fashion_mnist(tmp_path)
    assert data["y_test"].shape == (10000,)


class Server:
    """A local HTTP server on 127.0.0.1 serving a folder, for the downloader's tests."""

    def __init__(self, folder, truncate=None):
        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(folder), **kwargs)

            def log_message(self, *args):
                pass

            def copyfile(self, source, outputfile):
                data = source.read()
                outputfile.write(data[:truncate] if truncate else data)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@needs_full
def test_download_fetches_verifies_and_skips_what_is_there(tmp_path):
    dest = tmp_path / "dest"
    with Server(DEBIAN) as server:
        assert datasets.download_fashion_mnist(dest, mirrors=("http://127.0.0.1:9/nothing/", server.url)) == dest
    assert sorted(p.name for p in dest.iterdir()) == sorted(datasets.FILES)  # no temporary file left
    assert load_fashion_mnist(dest)["X_train"].shape == (60000, 28, 28)
    before = {p.name: p.stat().st_mtime_ns for p in dest.iterdir()}
    datasets.download_fashion_mnist(dest, mirrors=("http://127.0.0.1:9/",))  # nothing to fetch: no request
    assert before == {p.name: p.stat().st_mtime_ns for p in dest.iterdir()}


def test_download_of_wrong_content_leaves_no_file(tmp_path):
    source = fake_set(tmp_path / "source")
    dest = tmp_path / "dest"
    with Server(source) as server, pytest.raises(DatasetError, match="could not download train-images"):
        datasets.download_fashion_mnist(dest, mirrors=(server.url,))
    assert list(dest.iterdir()) == []


@needs_full
def test_interrupted_download_leaves_no_file(tmp_path):
    dest = tmp_path / "dest"
    with Server(DEBIAN, truncate=1000) as server, pytest.raises(DatasetError, match="truncated"):
        datasets.download_fashion_mnist(dest, mirrors=(server.url,))
    assert list(dest.iterdir()) == []


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    final = tmp_path / "f.bin"
    final.write_bytes(b"old")

    def write(f):
        f.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        datasets.atomic_write(final, write)
    assert final.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["f.bin"]


def test_subset_checksum_is_recorded_beside_it():
    digest = splits.file_sha256(splits.SUBSET_PATH)
    # sha256sum's format, as tools/make_subset.py writes it (so `sha256sum -c` checks it too)
    assert splits.SUBSET_PATH.with_suffix(".sha256").read_text() == f"{digest}  fashion_mnist_subset.npz\n"
    assert splits.recorded_subset_sha256() == splits.SUBSET_SHA256 == splits.check_subset() == digest
    assert splits.SUBSET_PATH.stat().st_size <= 5_000_000


@pytest.fixture
def subset_copy(tmp_path, monkeypatch):
    """A copy of the subset and its .sha256 in tmp_path, made the course's subset (splits.SUBSET_PATH)."""
    path = tmp_path / "fashion_mnist_subset.npz"
    path.write_bytes(splits.SUBSET_PATH.read_bytes())
    path.with_suffix(".sha256").write_bytes(splits.SUBSET_PATH.with_suffix(".sha256").read_bytes())
    monkeypatch.setattr(splits, "SUBSET_PATH", path)
    return path


def test_tampered_subset_is_refused(subset_copy):
    assert splits.check_subset() == splits.SUBSET_SHA256
    data = bytearray(subset_copy.read_bytes())
    data[len(data) // 2] ^= 1
    subset_copy.write_bytes(bytes(data))
    with pytest.raises(DatasetError, match=r"SHA-256 [0-9a-f]{64} differs from the recorded"):
        splits.load_fashion_mnist_subset()


def test_a_sha256_file_that_disagrees_with_the_subset_is_refused(subset_copy):
    record = subset_copy.with_suffix(".sha256")
    digest, name = record.read_text().split()
    record.write_text(f"{digest[::-1]}  {name}\n")
    with pytest.raises(DatasetError, match=r"differs from the recorded"):
        splits.load_fashion_mnist_subset()
    assert splits.SUBSET_SHA256 == digest[::-1]  # the file is the one record, read when asked for


@pytest.mark.parametrize("content", ["", "not a digest  fashion_mnist_subset.npz\n", "{digest}\n",
                                     "{digest}  other.npz\n", "{digest}  fashion_mnist_subset.npz\n{digest}  x\n"])
def test_a_malformed_sha256_file_is_refused(subset_copy, content):
    record = subset_copy.with_suffix(".sha256")
    record.write_text(content.format(digest=record.read_text().split()[0]))
    with pytest.raises(DatasetError, match="not a `sha256sum` line"):
        splits.load_fashion_mnist_subset()
    assert splits.SUBSET_SHA256 is None


def test_a_missing_sha256_file_is_named(subset_copy):
    subset_copy.with_suffix(".sha256").unlink()
    with pytest.raises(DatasetNotFoundError, match=r"fashion_mnist_subset.sha256: the subset's recorded SHA-256 is "
                                                   r"missing"):
        splits.load_fashion_mnist_subset()
    splits.load_fashion_mnist_subset(subset_copy, verify=False)  # unchecked, it still loads


def shipped(folder):
    """A data folder holding every shipped file (empty ones: the search only looks for them)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in datasets.SHIPPED_FILES:
        (folder / name).write_bytes(b"")
    return folder


@pytest.fixture
def no_install(tmp_path, monkeypatch):
    """No checkout and no installed copy: the package as if it were a bare copy outside any checkout or install."""
    monkeypatch.delenv(datasets.DATA_ENV, raising=False)
    monkeypatch.setattr(datasets, "RUNS_FROM_CHECKOUT", False)
    monkeypatch.setattr(datasets, "INSTALLED_DATA", Path("share", "not-lecture-utils-here", "data"))


def test_the_checkout_data_folder_is_found():
    assert datasets.RUNS_FROM_CHECKOUT and datasets.find_data_dir() == datasets.PROJECT_ROOT / "data"
    assert datasets.DATA_DIR == datasets.PROJECT_ROOT / "data" and splits.SUBSET_PATH.parent == datasets.DATA_DIR


def test_data_folder_search_order(tmp_path, monkeypatch):
    env = tmp_path / "env"
    monkeypatch.setenv(datasets.DATA_ENV, str(env))
    assert datasets.find_data_dir() == datasets.PROJECT_ROOT / "data"  # the variable's folder lacks the files
    shipped(env)
    assert datasets.find_data_dir() == env  # the variable comes first
    monkeypatch.setattr(datasets, "RUNS_FROM_CHECKOUT", False)
    monkeypatch.delenv(datasets.DATA_ENV)
    monkeypatch.setattr(datasets.sys, "prefix", str(tmp_path / "prefix"))
    monkeypatch.setattr(datasets, "INSTALLED_DATA", Path("share", "not-lecture-utils-here", "data"))
    installed = shipped(tmp_path / "prefix" / "share" / "not-lecture-utils-here" / "data")
    assert datasets.find_data_dir() == installed.resolve()  # outside a checkout: the installed copy


def test_no_data_folder_says_where_it_looked(tmp_path, monkeypatch, no_install):
    env = tmp_path / "env"
    env.mkdir()
    (env / "source_model.npz").write_bytes(b"")
    monkeypatch.setenv(datasets.DATA_ENV, str(env))
    with pytest.raises(DatasetNotFoundError) as err:
        datasets.find_data_dir()
    message = str(err.value)
    assert f"{env} (${datasets.DATA_ENV}: lacks fashion_mnist_subset.npz, fashion_mnist_subset.sha256)" in message
    assert "share/not-lecture-utils-here/data (the install prefix: missing)" in message
    assert datasets.DATA_ENV in message and "git checkout -- data" in message
    # the loader's message about the missing subset says the same
    monkeypatch.setattr(splits, "SUBSET_PATH", env / "fashion_mnist_subset.npz")
    with pytest.raises(DatasetNotFoundError, match=r"(?s)the course's data subset is missing.*Looked in:.*env"):
        splits.load_fashion_mnist_subset()


def test_subset_is_stratified_and_disjoint():
    data = splits.load_fashion_mnist_subset()
    for split, size in splits.SUBSET_SIZES.items():
        X, y = data[f"X_{split}"], data[f"y_{split}"]
        assert X.shape == (size, 28, 28) and X.dtype == np.uint8 and y.shape == (size,)
        assert np.bincount(y, minlength=10).tolist() == [size // 10] * 10
    hashes = [{hashlib.sha1(x.tobytes()).digest() for x in data[f"X_{s}"]} for s in ("train", "val", "test")]
    assert not (hashes[0] & hashes[1]) and not (hashes[0] & hashes[2]) and not (hashes[1] & hashes[2])


@needs_full
def test_subset_is_taken_from_the_genuine_data():
    full = load_fashion_mnist(DEBIAN)
    data = splits.load_fashion_mnist_subset()
    train_rows = {x.tobytes(): label for x, label in zip(full["X_train"], full["y_train"])}
    assert all(train_rows.get(x.tobytes()) == label for x, label in zip(data["X_val"][:200], data["y_val"][:200]))


def test_corrupt_subset_is_refused(tmp_path):
    bad = tmp_path / "subset.npz"
    bad.write_bytes(splits.SUBSET_PATH.read_bytes()[:-10])
    with pytest.raises(DatasetError, match="SHA-256"):
        splits.load_fashion_mnist_subset(bad)
    with pytest.raises(DatasetError, match="cannot read"):
        splits.load_fashion_mnist_subset(bad, verify=False)
    with pytest.raises(DatasetNotFoundError, match="missing"):
        splits.load_fashion_mnist_subset(tmp_path / "absent.npz")


def test_stratified_indices(rng):
    y = np.repeat(np.arange(4), 25)
    a, b = splits.stratified_indices(y, [20, 40], rng)
    assert np.bincount(y[a]).tolist() == [5] * 4 and np.bincount(y[b]).tolist() == [10] * 4
    assert not set(a) & set(b)
    with pytest.raises(ValueError, match=r"sizes\[0\] must be a multiple"):
        splits.stratified_indices(y, [10], rng)
    with pytest.raises(ValueError, match="fewer than"):
        splits.stratified_indices(y, [120], rng)


@needs_full
def test_course_data_full():
    data = splits.load_course_data(full=True)
    assert data["X_train"].shape == (55000, 28, 28) and data["X_val"].shape == (5000, 28, 28)
    assert data["X_test"].shape == (10000, 28, 28)
