"""The variable table of backpropagation: every quantity, its symbol, meaning and shape.

``explain(network_or_sizes, m)`` lists, in the order they are computed, the
quantities of one forward and one backward pass: ``X``, then per layer ``W``, ``b``,
``Z``, ``A``; the cost; then from the output back ``dZ``, ``dW``, ``db`` and ``dA``.
Shapes are given in the library's row convention (examples as rows) and, with
``columns=True``, in the reference material's column convention (examples as
columns, ``b`` a column vector), so a learner can line the code up with the
derivation.  The result prints as a text table and is also plain data.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from . import losses
from .network import Network, _check_layer_sizes

__all__ = ["explain", "Explanation", "Quantity"]


@dataclass(frozen=True)
class Quantity:
    """One row of the table."""

    code: str
    symbol: str
    meaning: str
    shape: tuple[int, ...]


@dataclass(frozen=True)
class Explanation:
    """The table: ``rows`` plus the convention its shapes are written in."""

    rows: tuple[Quantity, ...]
    layer_sizes: tuple[int, ...]
    examples: int
    convention: str  # "rows" (library) or "columns" (reference material)

    def to_dicts(self) -> list[dict]:
        """The rows as dicts (``code``, ``symbol``, ``meaning``, ``shape``), e.g. for JSON."""
        return [asdict(row) for row in self.rows]

    def __str__(self) -> str:
        header = ("code", "symbol", "meaning", "shape")
        cells = [header] + [
            (q.code, q.symbol, q.meaning, _format_shape(q.shape)) for q in self.rows
        ]
        widths = [max(len(row[i]) for row in cells) for i in range(4)]
        lines = [
            "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in cells
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        sizes = "-".join(map(str, self.layer_sizes))
        where = (
            "examples as columns, as in the reference material"
            if self.convention == "columns"
            else "examples as rows, as in lucidnet"
        )
        count = f"{self.examples} example{'s' if self.examples != 1 else ''}"
        return f"network {sizes}, m = {count} ({where})\n" + "\n".join(lines)


def explain(
    network: Network | Sequence[int], examples: int = 1, *, columns: bool = False
) -> Explanation:
    """Tabulate forward and backward propagation for a network on ``examples`` inputs.

    Parameters
    ----------
    network : Network, sequence of int or str
        A network, or its layer sizes ``[n[0], ..., n[L]]`` (or ``"2,3,1"``).
    examples : int, default 1
        ``m``, the number of examples in the batch.
    columns : bool, default False
        Give shapes in the reference's column convention (``X`` is ``(n[0], m)``,
        ``b[l]`` is ``(n[l], 1)``) instead of the library's rows (``X`` is
        ``(m, n[0])``, ``b[l]`` is ``(n[l],)``).

    Returns
    -------
    Explanation
    """
    if isinstance(network, Network):
        sizes = network.layer_sizes
        activations = [layer.activation.name for layer in network.layers]
        loss = network.loss.name
        biases = [layer.use_bias for layer in network.layers]
        fused: bool | None = losses.is_fused(activations[-1], network.loss)
        per_example = "" if network.loss.sums else " / m"
        gradient = network.loss.gradient_text
        # The output layer never drops units.
        dropout = [layer.dropout for layer in network.layers[:-1]] + [0.0]
    else:
        if isinstance(network, str):  # "2,3,1", as the command line's --layers takes them
            try:
                network = [int(part) for part in network.split(",")]
            except ValueError:
                raise ValueError("layer sizes must be ints like [2, 3, 1] or '2,3,1'; got "
                                 f"{network!r}") from None
        # The network's own check: 3.5 is refused, not cut to 3.
        sizes = _check_layer_sizes(network)
        activations = ["g"] * (len(sizes) - 2) + ["g_out"]
        loss = "the loss"
        biases = [True] * (len(sizes) - 1)
        fused, per_example = None, " / m"  # unknown loss: say both
        gradient = ""
        dropout = [0.0] * (len(sizes) - 1)
    # numbers.Integral: NumPy's integers too (np.int64(3)), as layer sizes take them.
    if isinstance(examples, bool) or not isinstance(examples, numbers.Integral) or examples < 1:
        raise ValueError(f"examples must be a positive int; got {examples!r}")
    m, L = int(examples), len(sizes) - 1

    def batch(n: int) -> tuple[int, int]:
        return (n, m) if columns else (m, n)

    def bias(n: int) -> tuple[int, ...]:
        return (n, 1) if columns else (n,)

    def kept(l: int) -> str:
        """Layer l's output as the next layer takes it: dropped units masked out."""
        return f"(A[{l}] * D[{l}])" if l and dropout[l - 1] else f"A[{l}]"

    # With a mean cost, the course's dZ and dA (columns) are per-example derivatives:
    # its 1/m comes at dW and db.  The library's dZ carries the 1/m, so it is dJ/dZ.
    d = "dL" if columns and per_example else "dJ"

    rows = [
        Quantity("X", "A[0] = X", f"the inputs, {sizes[0]} features per example", batch(sizes[0]))
    ]
    for l in range(1, L + 1):
        n, n_prev, g = sizes[l], sizes[l - 1], activations[l - 1]
        rows.append(Quantity(f"W{l}", f"W[{l}]", f"weights of layer {l}", (n, n_prev)))
        if biases[l - 1]:
            rows.append(Quantity(f"b{l}", f"b[{l}]", f"biases of layer {l}", bias(n)))
        plus_b = f" + b[{l}]" if biases[l - 1] else ""
        linear = (f"W[{l}] {kept(l - 1)}{plus_b}" if columns
                  else f"{kept(l - 1)} W[{l}]^T{plus_b}")
        rows.append(Quantity(f"Z{l}", f"Z[{l}]", f"pre-activation {linear}", batch(n)))
        rows.append(Quantity(f"A{l}", f"A[{l}]", f"activation {g}(Z[{l}])", batch(n)))
        if dropout[l - 1]:
            rows.append(Quantity(
                f"D{l}", f"D[{l}]", f"dropout mask: 0 with probability {dropout[l - 1]:g}, "
                f"else 1/(1 - {dropout[l - 1]:g}) (training only)", batch(n)))
    rows.append(Quantity("Y", "Y", "the targets", batch(sizes[-1])))
    rows.append(Quantity("cost", "J", f"{loss}, one number for the batch", ()))
    for l in range(L, 0, -1):
        n, n_prev = sizes[l], sizes[l - 1]
        if l == L:
            scale = "" if columns else per_example
            if fused is False:  # the loss's gradient first, then through g'
                written = (_scaled(gradient, scale) if gradient
                           else f"the gradient of {loss}{scale}")
                rows.append(Quantity(f"dA{L}", f"dA[{L}]", f"{d}/dA[L] = {written}",
                                     batch(n)))
            meaning = _output_delta(fused, activations[-1], loss, scale).replace("dJ/", f"{d}/")
        else:
            mask = f" * D[{l}]" if dropout[l - 1] else ""
            meaning = f"{d}/dZ[{l}] = dA[{l}]{mask} * {activations[l - 1]}'(Z[{l}])"
        rows.append(Quantity(f"dZ{l}", f"dZ[{l}]", meaning, batch(n)))
        # The library's dZ already carries the cost's 1/m; the course divides at dW, db.
        dw = (f"dZ[{l}] {kept(l - 1)}^T{per_example}" if columns
              else f"dZ[{l}]^T {kept(l - 1)}")
        db = f"dZ[{l}] summed over examples{per_example if columns else ''}"
        rows.append(Quantity(f"dW{l}", f"dW[{l}]", f"dJ/dW[{l}] = {dw}", (n, n_prev)))
        if biases[l - 1]:
            rows.append(Quantity(f"db{l}", f"db[{l}]", f"dJ/db[{l}] = {db}", bias(n)))
        if l > 1:
            da = f"W[{l}]^T dZ[{l}]" if columns else f"dZ[{l}] W[{l}]"
            rows.append(
                Quantity(f"dA{l - 1}", f"dA[{l - 1}]", f"{d}/dA[{l - 1}] = {da}",
                         batch(n_prev))
            )
    return Explanation(tuple(rows), tuple(sizes), m, "columns" if columns else "rows")


def _output_delta(fused: bool | None, activation: str, loss: str, scale: str) -> str:
    """How the output layer's delta is formed, for this pairing of activation and loss."""
    if fused is None:
        return f"dJ/dZ[L] = (A[L] - Y){scale} for the fused pairings, else dA[L] * g'(Z[L])"
    if fused:
        return f"dJ/dZ[L] = (A[L] - Y){scale} (fused: {activation} + {loss})"
    if activation == "softmax":  # not elementwise: its Jacobian, row by row
        return "dJ/dZ[L] = A[L] * (dA[L] - sum over classes of dA[L] * A[L])"
    return f"dJ/dZ[L] = dA[L] * {activation}'(Z[L])"


def _scaled(text: str, scale: str) -> str:
    """``text`` followed by ``scale`` (" / m" or ""), in parentheses when ``text`` has
    a sum or difference at its top level ("(A[L] - Y) / m", not "-Y / A[L] / m")."""
    depth, top_level_sum = 0, False
    for i, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth == 0 and char in "+-" and 0 < i and text[i - 1] == " ":
            top_level_sum = True
    return f"({text}){scale}" if scale and top_level_sum else f"{text}{scale}"


def _format_shape(shape: tuple[int, ...]) -> str:
    """``(3, 2)``, ``(5,)`` or ``()``, as Python prints a tuple."""
    return str(tuple(shape))
