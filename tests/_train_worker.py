"""Helper process for the kill-and-resume test (run by tests/test_checkpoints.py).

Usage: ``python _train_worker.py MODE CHECKPOINT_DIR OUT.npy`` with MODE one of

* ``full``: train without interruption and save the final parameters;
* ``kill``: train with checkpoints and SIGKILL itself in the middle of epoch 5
  (after the checkpoint of epoch 4 was written); never returns normally;
* ``resume``: continue from the checkpoint and save the final parameters.

The problem exercises every piece of saved state: dropout masks and shuffling (the
random generator), Adam's moments, a plateau schedule, early stopping's best
weights and the history.
"""

from __future__ import annotations

import os
import signal
import sys

import numpy as np

from lucidnet import Network
from lucidnet.callbacks import Callback
from lucidnet.training import Trainer

EPOCHS = 9
KILL_EPOCH, KILL_BATCH = 5, 2


class KillMidEpoch(Callback):
    def on_batch_end(self, batch, logs):
        if self.trainer.history.epochs == KILL_EPOCH and batch == KILL_BATCH:
            os.kill(os.getpid(), signal.SIGKILL)


def main(mode: str, directory: str, out: str) -> None:
    data = np.random.default_rng(7)
    X = data.standard_normal((90, 5))
    Y = (X[:, :1] * X[:, 1:2] > 0).astype(float)
    network = Network([5, 16, 8, 1], "relu", "sigmoid", dropout=0.2, random_state=3)
    trainer = Trainer(
        network,
        optimizer="adam",
        learning_rate=0.01,
        schedule="plateau",
        schedule_params={"patience": 1, "factor": 0.7},
        batch_size=16,
        random_state=11,
        callbacks=[KillMidEpoch()] if mode == "kill" else [],
    )
    kwargs = {"epochs": EPOCHS, "validation_fraction": 0.2, "early_stopping": True,
              "patience": 100}
    if mode != "full":
        kwargs.update(checkpoint_dir=directory, checkpoint_every=2, resume=mode == "resume")
    history = trainer.fit(X, Y, **kwargs)
    np.save(out, np.concatenate([network.params, history.history["loss"]]))


if __name__ == "__main__":
    main(*sys.argv[1:4])
