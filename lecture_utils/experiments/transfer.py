"""Transfer learning (lecture 7, notebook 11): a small convolutional source model, target tasks that differ in
similarity and size, and the lecture's strategies (linear classifiers on frozen features from different stages,
fine-tuning the top or everything).

`tools/train_source_model.py` trains `SourceNet` on the first five Fashion-MNIST classes of the full data and writes
`data/source_model.npz` (its SHA-256 is recorded below and checked by `load_source_model`).
"""
import functools
from pathlib import Path

import numpy as np

from .._validation import check_choice, check_int
from ..datasets import DATA_DIR, DatasetError, atomic_write, load_fashion_mnist
from ..models import SOURCE_STAGES, FullyConnectedNet, SourceNet
from ..splits import file_sha256, load_course_data
from ..training import accuracy, train

SOURCE_MODEL = DATA_DIR / "source_model.npz"
SOURCE_CLASSES = (0, 1, 2, 3, 4)  # T-shirt/top, Trouser, Pullover, Dress, Coat: "ImageNet" for this notebook
TARGET_CLASSES = (5, 6, 7, 8, 9)  # Sandal, Shirt, Sneaker, Bag, Ankle boot: the similar target task
STAGES = SOURCE_STAGES  # where a classifier can read SourceNet's features
TARGET_NAMES = {"similar": ["sandal", "shirt", "sneaker", "bag", "ankle boot"], "different": ["0", "1", "2", "3", "4"]}


def source_task():
    """The source task: the first five classes of the full Fashion-MNIST, centred with SOURCE_MEAN."""

    full = load_fashion_mnist()
    data = {}
    for split in ("train", "test"):
        keep = np.isin(full[f"y_{split}"], SOURCE_CLASSES)
        data[f"X_{split}"] = full[f"X_{split}"][keep].reshape(-1, 784).astype(np.float32) / 255.0 - SOURCE_MEAN
        data[f"y_{split}"] = full[f"y_{split}"][keep].astype(np.int64)
    data["X_val"], data["y_val"] = data["X_test"][:1000], data["y_test"][:1000]  # for the epoch-by-epoch report
    return data


def train_source_model(epochs=2, seed=0, progress=True):
    """A SourceNet trained with Adam (lr 1e-3, batches of 100) on the source task; returns (model, test accuracy)."""
    data = source_task()

    model = SourceNet(num_classes=len(SOURCE_CLASSES), seed=seed)
    train(model, data, rng=np.random.default_rng(seed), rule="adam", learning_rate=1e-3, epochs=epochs,
          batch_size=100, progress=progress, train_acc_samples=1000)
    return model, accuracy(model, data["X_test"], data["y_test"])


# written by tools/train_source_model.py; checked on every load
SOURCE_MODEL_SHA256 = "424fc197e9174bdf1d0eec430d3898d674ecbde6129ee36640f808e0a06d60b2"


def save_source_model(model, path=SOURCE_MODEL):
    """Write the model's parameters to `path` (an .npz, written atomically). Returns its SHA-256."""

    atomic_write(path, lambda f: np.savez_compressed(f, **model.params))
    return file_sha256(path)


def load_source_model(path=SOURCE_MODEL, sha256=None):
    """The pretrained SourceNet from `path`, after checking the file's SHA-256 against `sha256` (default: the one
    recorded in this module for data/source_model.npz)."""
    path, expected = Path(path), sha256 or SOURCE_MODEL_SHA256
    if not path.exists():
        raise DatasetError(f"{path} is missing; run `python tools/train_source_model.py` to train the source model")
    digest = file_sha256(path)
    if expected is not None and digest != expected:
        raise DatasetError(f"{path}: SHA-256 {digest} differs from the recorded {expected}; the file is damaged or "
                           f"from another training run (rerun tools/train_source_model.py)")
    model = SourceNet()
    with np.load(path, allow_pickle=False) as archive:
        model.params = {k: archive[k].astype(np.float32) for k in model.params}
    return model


@functools.lru_cache(maxsize=1)
def digits_28():
    """scikit-learn's 8x8 handwritten digits (1,797 images, 0-16 grey levels), enlarged to 28x28 like Fashion-MNIST:
    each image padded by one pixel, resized with bilinear interpolation, scaled to 0-255. Returns (X uint8, y)."""
    from scipy.ndimage import zoom
    from sklearn.datasets import load_digits

    digits = load_digits()
    padded = np.pad(digits.images, ((0, 0), (1, 1), (1, 1)))  # a margin, as Fashion-MNIST items have
    large = np.stack([zoom(image, 2.8, order=1) for image in padded])  # 10x10 -> 28x28
    large = np.clip(large / 16.0 * 255.0, 0, 255).astype(np.uint8)
    return large, digits.target.astype(np.int64)


def target_task(task, per_class, *, seed=0, test_per_class=70):
    """A target task with `per_class` training images per class and `test_per_class` test images per class:
    "similar" (Fashion-MNIST classes 5-9 from the shipped subset, relabelled 0-4) or "different" (digits 0-4 of
    scikit-learn, resized). Pixels are centred with the mean of the source task's training images (0-1 scale).
    Returns dict with X_train (N, 784), y_train, X_test, y_test (float32 / int64)."""
    check_choice("task", task, ("similar", "different"))
    check_int("per_class", per_class, minimum=1)
    rng = np.random.default_rng(seed)
    if task == "similar":

        data = load_course_data()
        X = np.concatenate([data["X_train"], data["X_val"], data["X_test"]])
        y = np.concatenate([data["y_train"], data["y_val"], data["y_test"]]).astype(np.int64)
        keep = np.isin(y, TARGET_CLASSES)
        X, y = X[keep], np.searchsorted(TARGET_CLASSES, y[keep])
    else:
        X, y = digits_28()
        keep = y < 5
        X, y = X[keep], y[keep]
    train_idx, test_idx = [], []
    for label in range(5):
        members = rng.permutation(np.flatnonzero(y == label))
        if len(members) < test_per_class + per_class:
            raise ValueError(f"task {task!r} has {len(members)} images of class {label}: per_class must be at most "
                             f"{len(members) - test_per_class}, got {per_class}")
        test_idx.extend(members[:test_per_class])
        train_idx.extend(members[test_per_class:test_per_class + per_class])
    X = X.reshape(len(X), -1).astype(np.float32) / 255.0 - SOURCE_MEAN
    return {"X_train": X[train_idx], "y_train": y[train_idx], "X_test": X[test_idx], "y_test": y[test_idx]}


SOURCE_MEAN = np.float32(0.314)  # the mean pixel of the source task's 30,000 training images (0-1 scale)


# ---- the strategies ----

def all_features(model, X, batch_size=500):
    """{stage: features (N, D)} for every stage of STAGES, from one forward pass per batch."""
    out = {stage: [] for stage in STAGES}
    for i in range(0, len(X), batch_size):
        fc, caches = model._forward(X[i:i + batch_size], "fc")
        out["fc"].append(fc)
        for stage in ("conv1", "conv2"):
            out[stage].append(caches[f"out_{stage}"].reshape(len(fc), -1))
    return {stage: np.concatenate(parts) for stage, parts in out.items()}


STD_FLOOR = 1e-3  # ridge_fit: relative to the median feature's standard deviation


def ridge_fit(F_train, y_train, reg=1.0, num_classes=5):
    """A linear classifier in closed form: standardise the features with the training statistics, then least
    squares onto centred one-hot targets with an L2 penalty reg * ||W||^2 (solved in whichever of the primal
    (D x D) or dual (N x N) forms is smaller). Returns (W, b) acting on the raw features: scores = F @ W + b.

    Convention: a standard deviation below STD_FLOOR times the median feature's counts as that floor. A ReLU
    feature that is zero on all but one of 50 training images has a tiny std; dividing by it would blow its test
    values up until they decide the scores, and which features those are then depends on rounding in the layers
    below (measured on notebook 11's conv1 features: two float-rounding-level different convolutions moved the
    accuracy by up to 2 points; with the floor they agree)."""
    F_train = np.asarray(F_train, np.float64)
    mean, std = F_train.mean(axis=0), F_train.std(axis=0)
    typical = np.median(std[std > 0]) if np.any(std > 0) else 1.0
    std = np.maximum(std, STD_FLOOR * typical)
    A = (F_train - mean) / std
    Y = np.eye(num_classes)[y_train] - 1.0 / num_classes
    n, d = A.shape
    if d <= n:
        W = np.linalg.solve(A.T @ A + reg * np.eye(d), A.T @ Y)
    else:
        W = A.T @ np.linalg.solve(A @ A.T + reg * np.eye(n), Y)
    return W / std[:, None], -(mean / std) @ W  # folded back onto the raw features


def ridge_classifier(F_train, y_train, F_test, reg=1.0, num_classes=5):
    """The predicted labels of F_test from ridge_fit on the training features."""
    W, b = ridge_fit(F_train, y_train, reg, num_classes)
    return np.argmax(np.asarray(F_test, np.float64) @ W + b, axis=1)


def confusion_matrix(y_true, y_pred, num_classes=5):
    """counts[i, j]: examples of class i predicted as j."""
    counts = np.zeros((num_classes, num_classes), dtype=int)
    np.add.at(counts, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return counts


EPOCHS = 10  # passes over the training images, the same for every trained strategy and every amount of data
BATCH_SIZE = 25  # so a condition with ten times the images also gets ten times the minibatches
HEAD_SCALE = 5.0  # the ridge head predicts centred one-hot targets (about +-1): scaled up to act as scores
STRATEGIES = ("scratch", "linear_fc", "linear_conv2", "linear_conv1", "finetune_top", "finetune_all")
CHEAP_STRATEGIES = ("linear_fc", "linear_conv2", "linear_conv1", "finetune_top")


def run_strategy(strategy, task, source, *, features=None, seed=0, epochs=None):
    """Train and test one strategy on a target task (a target_task dict). Returns the test predictions.

    - "scratch": a fresh SourceNet with a 5-class head, all layers trained (Adam 1e-3);
    - "linear_fc" / "linear_conv2" / "linear_conv1": ridge_classifier on frozen features from that stage;
    - "finetune_top": the fc layer (initialised from the source) and a new head trained on frozen conv2
      features (the convolutions are frozen, so their features are computed once);
    - "finetune_all": the whole source network with a new head, the pretrained layers at a tenth of the
      learning rate (lr_scale 0.1).
    features: all_features(source, ...) of X_train and X_test, if already computed.
    The trained strategies all run `epochs` passes (default EPOCHS) in minibatches of BATCH_SIZE (Adam 1e-3), so
    conditions with more data also train for more steps and no amount of data is given fewer epochs than another.
    """

    check_choice("strategy", strategy, STRATEGIES)
    n = len(task["X_train"])
    fit = dict(rng=np.random.default_rng(seed), rule="adam", learning_rate=1e-3, epochs=epochs or EPOCHS,
               batch_size=min(BATCH_SIZE, n), restore_best=False, train_acc_samples=min(10, n))
    # the loop's per-epoch report (unused here) scores 10 test images; the test set is scored once, at the end
    probe = {"X_train": task["X_train"], "y_train": task["y_train"], "X_val": task["X_test"][:10],
             "y_val": task["y_test"][:10]}
    if strategy.startswith("linear") or strategy == "finetune_top":
        if features is None:
            features = {split: all_features(source, task[f"X_{split}"]) for split in ("train", "test")}
        if strategy.startswith("linear"):
            stage = strategy.split("_")[1]
            return ridge_classifier(features["train"][stage], task["y_train"], features["test"][stage])
        top = FullyConnectedNet([128], features["train"]["conv2"].shape[1], 5, seed=seed)
        top.params["W1"], top.params["b1"] = source.params["W3"].copy(), source.params["b3"].copy()
        head = ridge_fit(features["train"]["fc"], task["y_train"])  # start the head from the linear probe
        top.params["W2"], top.params["b2"] = (HEAD_SCALE * v.astype(np.float32) for v in head)
        train(top, {"X_train": features["train"]["conv2"], "y_train": task["y_train"],
                    "X_val": features["test"]["conv2"], "y_val": task["y_test"]}, **fit)
        return top.predict(features["test"]["conv2"])
    model = SourceNet(num_classes=5, seed=seed)
    pretrained = ()
    if strategy == "finetune_all":
        pretrained = ("W1", "b1", "W2", "b2", "W3", "b3")
        model.params.update({k: source.params[k].copy() for k in pretrained})
        if features is None:
            features = {"train": all_features(source, task["X_train"])}
        head = ridge_fit(features["train"]["fc"], task["y_train"])  # start the head from the linear probe
        model.params["W4"], model.params["b4"] = (HEAD_SCALE * v.astype(np.float32) for v in head)
    train(model, probe, lr_scale={k: 0.1 for k in pretrained}, **fit)
    return np.argmax(model.loss(task["X_test"]), axis=1)


def transfer_demo(task="similar", per_class=2, strategy="linear_fc", *, seed=0):
    """What notebook 11's panel shows: the test accuracy and confusion matrix of one cheap strategy (a linear
    classifier on frozen features of a stage, or fine-tuning the top) on a target task with per_class images per
    class. The source model's features are computed once per (task, per_class, seed) and cached."""
    check_choice("strategy", strategy, CHEAP_STRATEGIES)
    data, features = _cached_task(task, per_class, seed)
    predictions = run_strategy(strategy, data, _source(), features=features, seed=seed)
    return {"accuracy": float(np.mean(predictions == data["y_test"])),
            "confusion": confusion_matrix(data["y_test"], predictions), "task": task, "per_class": per_class,
            "strategy": strategy}


_CACHE = {}


def _source():
    if "source" not in _CACHE:
        _CACHE["source"] = load_source_model()
    return _CACHE["source"]


def _cached_task(task, per_class, seed):
    key = (task, per_class, seed)
    if key not in _CACHE:
        data = target_task(task, per_class, seed=seed)
        _CACHE[key] = data, {split: all_features(_source(), data[f"X_{split}"]) for split in ("train", "test")}
    return _CACHE[key]
