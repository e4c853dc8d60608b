"""Warnings that point at the user's line, however deep inside lucidnet they start."""

from __future__ import annotations

import os
import sys
import warnings

__all__ = ["warn_caller"]

_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def warn_caller(message: str, category: type[Warning]) -> None:
    """``warnings.warn`` at the first frame outside lucidnet and scikit-learn (whose
    ``_fit_context`` wraps an estimator's ``fit``): the user's call, through an
    estimator, a Trainer or both."""
    internal = [_PACKAGE]
    sklearn = sys.modules.get("sklearn")  # not imported for it: only its frames matter
    if sklearn is not None and getattr(sklearn, "__file__", None):
        internal.append(os.path.dirname(os.path.abspath(sklearn.__file__)))
    frame, level = sys._getframe(1), 2
    while frame is not None and frame.f_code.co_filename.startswith(tuple(internal)):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
