"""Train notebook 11's source model: SourceNet on the first five Fashion-MNIST classes of the FULL data set (30,000
training images), and write its weights to data/source_model.npz.

    python tools/train_source_model.py [--epochs 2] [--out data/source_model.npz]

Prints the test accuracy on the 5,000 test images of those classes and the file's SHA-256; paste the SHA-256 into
lecture_utils/experiments/transfer.py (SOURCE_MODEL_SHA256) so that the loader checks it. Needs the full Fashion-MNIST
(apt-get install dataset-fashion-mnist, or `python -m lecture_utils.datasets download DEST`). The notebook itself
only loads the file; its RETRAIN flag calls the same `lecture_utils.experiments.transfer.train_source_model`.
"""
import argparse
import time
from pathlib import Path

from lecture_utils.experiments.transfer import SOURCE_MODEL, save_source_model, train_source_model

OUT = Path(__file__).resolve().parent.parent / "data" / SOURCE_MODEL.name  # this checkout's data/


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    model, test_accuracy = train_source_model(args.epochs)
    digest = save_source_model(model, args.out)
    size = args.out.stat().st_size
    print(f"source task test accuracy {test_accuracy:.4f} after {args.epochs} epochs ({time.perf_counter() - start:.0f} s)")
    print(f"wrote {args.out} ({size / 1e6:.2f} MB), SHA-256 {digest}")


if __name__ == "__main__":
    main()
