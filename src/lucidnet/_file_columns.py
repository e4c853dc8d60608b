"""The first step of a model ``lucidnet train`` made from a file's named columns (see
:meth:`lucidnet._encoding.Encoding.transformer`).  Imports scikit-learn: imported only
when such a model is loaded or built."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.compose import ColumnTransformer

__all__ = ["FileColumns"]


class FileColumns(ColumnTransformer):
    """A ``ColumnTransformer`` of one step per named column that also takes those
    columns as an array, in their order (to transform, and to fit, as a refit of a
    cloned pipeline does), as ``lucidnet predict`` takes the columns of a file without a
    header.  A pandas DataFrame is taken as ever (columns found by name); an array of
    another width is refused naming the columns it needs, where scikit-learn would only
    say that named columns need a DataFrame."""

    def fit(self, X: Any, y: Any = None, **params: Any) -> FileColumns:
        return super().fit(self._named(X), y, **params)

    def fit_transform(self, X: Any, y: Any = None, **params: Any) -> Any:
        return super().fit_transform(self._named(X), y, **params)

    def transform(self, X: Any, **params: Any) -> Any:
        return super().transform(self._named(X), **params)

    def _named(self, X: Any) -> Any:
        """``X`` as a DataFrame of the named columns when it is an array of them."""
        names = [selected[0] for _, _, selected in self.transformers]
        if hasattr(X, "columns") or not all(isinstance(name, str) for name in names):
            return X  # a DataFrame, or columns by position (made where pandas is not)
        import pandas as pd

        array = np.asarray(X)
        if array.ndim != 2 or array.shape[1] != len(names):
            raise ValueError(
                f"this model takes a pandas DataFrame with the columns {names} (found by "
                f"name; others are left out), or an array of those {len(names)} columns in "
                f"that order; got an array of shape {array.shape}")
        return pd.DataFrame(array, columns=names)
