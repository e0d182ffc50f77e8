import numpy as np
import pytest

from lecture_utils import schedules
from lecture_utils.models import FullyConnectedNet
from lecture_utils.training import History, TrainingDiverged, accuracy, train


@pytest.fixture
def blobs(rng):
    """Three well-separated Gaussian blobs in 10-D: 300 train, 90 val."""
    centers = rng.normal(scale=3.0, size=(3, 10))
    def sample(n):
        y = np.repeat(np.arange(3), n // 3)
        return (centers[y] + rng.normal(size=(n, 10))).astype(np.float32), y
    X_train, y_train = sample(300)
    X_val, y_val = sample(90)
    return dict(X_train=X_train, y_train=y_train, X_val=X_val, y_val=y_val)


def net(**kwargs):
    return FullyConnectedNet([32], 10, 3, seed=0, **kwargs)


@pytest.mark.parametrize("rule", ["sgd", "sgd_momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"])
def test_every_rule_learns_the_blobs(blobs, rule):
    lr = {"sgd": 0.1, "sgd_momentum": 0.02, "nesterov": 0.02, "adagrad": 0.05}.get(rule, 3e-3)
    history = train(net(), blobs, rng=np.random.default_rng(0), rule=rule, learning_rate=lr, epochs=5,
                    batch_size=30, progress=False)
    assert history.val_acc[-1] > 0.9, history.val_acc
    assert history.epoch_loss[-1] < history.epoch_loss[0]


def test_history_shapes_and_best_params(blobs):
    model = net()
    h = train(model, blobs, rng=np.random.default_rng(0), rule="adam", epochs=4, batch_size=32, progress=False)
    assert isinstance(h, History)
    assert h.steps_per_epoch == 300 // 32 and len(h.loss) == len(h.lr) == 4 * h.steps_per_epoch
    assert len(h.train_acc) == len(h.val_acc) == len(h.val_loss) == len(h.epoch_loss) == len(h.epoch_time) == 4
    assert h.best_val_acc == max(h.val_acc) and h.val_acc[h.best_epoch - 1] == h.best_val_acc
    # restore_best: the model holds the best epoch's parameters and scores that accuracy again
    assert accuracy(model, blobs["X_val"], blobs["y_val"]) == h.best_val_acc
    assert all(np.array_equal(model.params[k], h.best_params[k]) for k in model.params)


def test_minibatches_are_drawn_without_replacement(blobs):
    seen = []

    class Spy:  # a model that records which rows it was given
        params = {"w": np.zeros(1)}

        def loss(self, X, y=None, rng=None):
            if y is None:
                return np.zeros((len(X), 3))
            seen.append(X[:, 0].copy())
            return 1.0, {"w": np.zeros(1)}

    data = dict(blobs, X_train=np.arange(300, dtype=np.float64)[:, None], X_val=np.zeros((9, 1)), y_val=np.zeros(9, int))
    train(Spy(), data, rng=np.random.default_rng(0), rule="sgd", learning_rate=0.1, epochs=2, batch_size=50, progress=False)
    first, second = np.concatenate(seen[:6]), np.concatenate(seen[6:])
    assert sorted(first) == list(range(300)) and sorted(second) == list(range(300))
    assert not np.array_equal(first, second)  # reshuffled every epoch


def test_same_generator_same_run(blobs):
    runs = [train(net(keep_prob=0.8), blobs, rng=np.random.default_rng(7), rule="adam", epochs=2, progress=False)
            for _ in range(2)]
    assert runs[0].loss == runs[1].loss


def test_schedule_gives_the_learning_rate_of_every_step(blobs):
    schedule = schedules.step_decay(0.01, 5, 0.5)
    h = train(net(), blobs, rng=np.random.default_rng(0), rule="sgd_momentum", schedule=schedule, epochs=2,
              batch_size=30, progress=False)
    assert h.lr == [schedule(t) for t in range(20)]


def test_callbacks_see_every_step_and_epoch(blobs):
    steps, epochs = [], []

    class Recorder:
        def on_step(self, info):
            steps.append((info.t, info.lr, set(info.updates)))

        def on_epoch(self, info):
            epochs.append((info.epoch, len(info.history.val_acc)))

    ratios = []
    train(net(), blobs, rng=np.random.default_rng(0), rule="sgd", learning_rate=0.1, epochs=2, batch_size=100,
          progress=False, callbacks=[Recorder(), lambda info: ratios.append(
              np.linalg.norm(info.updates["W1"]) / np.linalg.norm(info.params["W1"]))])
    assert [s[0] for s in steps] == list(range(6)) and steps[0][2] == {"W1", "b1", "W2", "b2"}
    assert epochs == [(1, 1), (2, 2)]
    assert len(ratios) == 6 and all(0 < r < 1 for r in ratios)


def test_divergence_stops_at_once_with_step_and_learning_rate(blobs):
    with pytest.raises(TrainingDiverged, match=r"diverged at step \d+ \(epoch \d+\).*learning rate 1e\+06") as err:
        train(net(), blobs, rng=np.random.default_rng(0), rule="sgd", learning_rate=1e6, epochs=3, progress=False)
    losses = err.value.history.loss
    assert not np.isfinite(losses[-1]) and np.all(np.isfinite(losses[:-1]))


def test_divergence_message_blames_the_learning_rate_or_the_init(blobs):
    h = train(net(), blobs, rng=np.random.default_rng(0), rule="sgd", learning_rate=1e6, epochs=3, progress=False,
              on_divergence="stop")
    assert h.diverged.endswith("try a learning rate about 10x smaller")  # a sane start: the step size is to blame
    assert h.divergence_cause == "learning_rate"
    big = net()
    big.params["W1"] = big.params["W1"] * 1e6  # a loss far above ln(classes) before any update
    h = train(big, blobs, rng=np.random.default_rng(0), rule="sgd", learning_rate=1e6, epochs=3, progress=False,
              on_divergence="stop")
    assert "before any update: the initial weights are far too large" in h.diverged and "10x smaller" not in h.diverged
    assert h.divergence_cause == "init"


def test_the_divergence_cause_is_the_same_in_korean(blobs):
    """Notebooks assert on divergence_cause, not on the message's words, so the Korean edition passes them too."""
    from lecture_utils.course import set_language

    set_language("ko")
    try:
        h = train(net(), blobs, rng=np.random.default_rng(0), rule="sgd", learning_rate=1e6, epochs=3,
                  progress=False, on_divergence="stop")
    finally:
        set_language("en")
    assert "학습률" in h.diverged and h.divergence_cause == "learning_rate"


def test_divergence_can_stop_and_return_the_history(blobs):
    h = train(net(), blobs, rng=np.random.default_rng(0), rule="sgd", learning_rate=1e6, epochs=3, progress=False,
              on_divergence="stop")
    assert h.diverged.startswith("training diverged at step")
    assert len(h.val_acc) == (len(h.loss) - 1) // h.steps_per_epoch  # only the epochs that finished
    assert not np.isfinite(h.loss[-1])


def test_progress_bar_shows_the_steps_only_when_asked(blobs, capsys):
    history = train(net(), blobs, rng=np.random.default_rng(0), rule="adam", epochs=1, progress=True)
    shown = capsys.readouterr().err  # tqdm writes to stderr
    assert "step" in shown and f"/{history.steps_per_epoch}" in shown and len(history.val_acc) == 1
    train(net(), blobs, rng=np.random.default_rng(0), rule="adam", epochs=1)  # the default: no bar
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("kwargs,name", [
    (dict(rule="adamax"), "rule"), (dict(rule="sgd"), "learning_rate"), (dict(learning_rate=-1.0), "learning_rate"),
    (dict(learning_rate=0.1, schedule=schedules.constant(0.1)), "not both"), (dict(hyper={"momentum": 0.9}), "hyper"),
    (dict(epochs=0), "epochs"), (dict(batch_size=1000), "batch_size"), (dict(rng=0), "rng"),
    (dict(on_divergence="ignore"), "on_divergence"), (dict(schedule=0.1), "schedule")])
def test_bad_arguments_are_named(blobs, kwargs, name):
    kwargs = {"rng": np.random.default_rng(0), "rule": "adam", **kwargs}
    with pytest.raises(ValueError, match=name):
        train(net(), blobs, progress=False, **kwargs)


def test_bad_data_is_named(blobs):
    with pytest.raises(ValueError, match="X_val"):
        train(net(), {"X_train": blobs["X_train"], "y_train": blobs["y_train"]}, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"data\['X_train'\].*floating"):
        train(net(), dict(blobs, X_train=blobs["X_train"].astype(np.uint8)), rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"data\['y_train'\]"):
        train(net(), dict(blobs, y_train=blobs["y_train"][:10]), rng=np.random.default_rng(0))
