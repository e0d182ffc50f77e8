"""The lecture's experiments, and the computations behind the notebooks' slider panels.

Each module is one experiment of the lecture, built on the core (numpy only): `propagation` (activations and
gradients through depth, notebook 02), `sensitivity` (why normalised data, 03), `batchnorm` (Algorithm 1 taken
apart, 04), `monitoring` (babysitting, 05), `search` and `softmax_demo` (hyperparameter search on a fast linear
model, 06), `landscapes` (update rules on 2-D surfaces, 07), `second_order` (Newton, BFGS, L-BFGS, 08),
`ensembles` (09), `regularization` (10), `transfer` (11). `panels.COMPUTATIONS` names the computation behind
every slider panel.
"""
