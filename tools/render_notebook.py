"""Execute notebooks headless and save what a learner would see: every figure as PNG, every text output.

    python tools/render_notebook.py notebooks/00_setup_and_recap.ipynb [...] [--out build/rendered]

For each notebook FOLDER/NAME.ipynb, writes OUT/FOLDER/NAME/cell<NN>_<k>.png for each figure,
OUT/FOLDER/NAME/outputs.txt with the text outputs and errors cell by cell, and OUT/FOLDER/NAME.ipynb, the executed
notebook (FOLDER is notebooks or exercises). Prints the wall time.
Figures nobody looked at are not done: open the PNGs.
"""
import argparse
import base64
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbclient.output_widget import OutputWidget

ROOT = Path(__file__).resolve().parent.parent


class _OutputAreaNoEcho(OutputWidget):
    """nbclient's stand-in for JupyterLab's Output widget (a panel's drawing area), minus the echo.

    nbclient's own sends the area's whole state, figures included, back to the kernel after every output it captures,
    on the shell socket, from the task that reads IOPub, while another task waits on that same socket for the cell's
    reply. ZMQ wakes a waiting reader by an edge-triggered signal, which such a send can swallow: the reply then sits
    unread until the wait times out. Seen twice while tools/book.py was written: in CI, notebook 08's reply to its panel
    cell was read 298 s late under a 300 s timeout, and a run with a 900 s timeout sat for minutes with its kernel
    idle and nbclient waiting (nbclient issue 312 and pull request 311 report the same). The kernel needs none of
    that state.
    """

    def sync_state(self):
        pass


def execute(path, timeout=600, store_widget_state=False):
    """Run a notebook in its own folder with one BLAS thread; returns (notebook, seconds, error or None).

    store_widget_state=True keeps the widgets' last state (a panel's controls and what its output area drew) in the
    notebook's metadata, as tools/book.py needs it.
    """
    nb = nbformat.read(path, as_version=4)
    os.environ.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=store_widget_state,
                            resources={"metadata": {"path": str(Path(path).parent)}})
    client.widget_registry["@jupyter-widgets/output"]["OutputModel"] = _OutputAreaNoEcho
    start, error = time.perf_counter(), None
    try:
        client.execute()
    except CellExecutionError as e:
        error = e
    return nb, time.perf_counter() - start, error


def save_outputs(nb, folder):
    """Write each figure as PNG and all text outputs to folder; returns the PNG paths."""
    folder.mkdir(parents=True, exist_ok=True)
    pngs, lines = [], []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for k, output in enumerate(cell.get("outputs", [])):
            data = output.get("data", {})
            if "image/png" in data:
                png = folder / f"cell{i:02d}_{k}.png"
                png.write_bytes(base64.b64decode(data["image/png"]))
                pngs.append(png)
            text = output.get("text") or data.get("text/plain") or ""
            if output.get("output_type") == "error":
                text = f"{output['ename']}: {output['evalue']}"
            if text.strip():
                lines.append(f"--- cell {i} ---\n{text.rstrip()}")
    (folder / "outputs.txt").write_text("\n".join(lines) + "\n")
    return pngs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "rendered")
    args = parser.parse_args()
    failed = False
    for path in args.notebooks:
        nb, seconds, error = execute(path)
        folder = args.out / path.resolve().parent.name
        pngs = save_outputs(nb, folder / path.stem)
        nbformat.write(nb, folder / f"{path.stem}.ipynb")
        status = "ok" if error is None else f"FAILED: {str(error).strip().splitlines()[-1]}"
        print(f"{path.parent.name}/{path.name}: {seconds:.1f} s, {len(pngs)} figures in {folder / path.stem} ({status})")
        failed |= error is not None
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
