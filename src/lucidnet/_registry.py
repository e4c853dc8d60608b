"""One registry of names for each kind of component (activation, loss, schedule, optimizer).

Every place that accepts a name -- the engine, the estimators' parameters, the command
line's choices, the model files -- resolves it here, so a component registered once is
accepted everywhere, and an unknown name gets the same clear error everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """Names mapped to factories of one kind of component.

    Parameters
    ----------
    kind : str
        What the components are, for messages ("activation", "loss", ...).
    base : type
        Their base class: an instance of it is accepted as is by :meth:`resolve`.
    """

    def __init__(self, kind: str, base: type[T]) -> None:
        self.kind = kind
        self.base = base
        self._factories: dict[str, Callable[..., T]] = {}
        self._own: frozenset[str] = frozenset()

    def seal(self) -> None:
        """Take the names registered so far as lucidnet's own: :meth:`register` keeps
        them unless told to replace them."""
        self._own = frozenset(self._factories)

    def register(self, name: str, factory: Callable[..., T], *, replace: bool = False) -> None:
        """Make ``factory(**params)`` available under ``name``.

        A name of lucidnet's own (see :meth:`seal`) is refused unless ``replace``: every
        later use of it in the process, a model file's included, would build the new
        component.  A name of one's own may be registered again (a notebook cell rerun).
        """
        if not isinstance(name, str) or not name:
            raise TypeError(f"{self.kind} name must be a non-empty str; got {name!r}")
        check_replace(self.kind, name, self._own, self._factories, factory, replace)
        self._factories[name] = factory

    def names(self) -> tuple[str, ...]:
        """The registered names, aliases included, in registration order."""
        return tuple(self._factories)

    def resolve(
        self, identifier: Any, defaults: Mapping[str, Any] | None = None, **params: Any
    ) -> T:
        """The component named by ``identifier``.

        Parameters
        ----------
        identifier : str, dict or instance of ``base``
            A name; a config dict ``{"name": ..., **settings}`` (what ``get_config``
            returns); or a component, returned as is.
        defaults : mapping, optional
            Settings used unless the config dict or ``params`` give them.
        **params
            Settings that override the config dict's.

        Raises
        ------
        ValueError
            An unknown name (the message lists the known ones), or settings the
            component does not take.
        TypeError
            Anything else as ``identifier``.
        """
        if isinstance(identifier, self.base):
            return identifier
        if isinstance(identifier, dict) and isinstance(identifier.get("name"), str):
            config = dict(identifier)
            name = config.pop("name")
        elif isinstance(identifier, str):
            name, config = identifier, {}
        else:
            raise TypeError(
                f"{self.kind} must be a name, a config dict with a 'name', or a "
                f"{self.base.__name__}; got {identifier!r} of type {type(identifier).__name__}"
            )
        if name not in self._factories:
            raise ValueError(
                f"unknown {self.kind} {name!r};{suggestion(name, self._factories)} expected one of "
                f"{', '.join(sorted(self._factories))}"
            )
        settings = {**(defaults or {}), **config, **params}
        try:
            return self._factories[name](**settings)
        except TypeError as exc:
            raise ValueError(f"bad parameters for {self.kind} {name!r}: {exc}") from None


def suggestion(name: str, known_names: Iterable[str]) -> str:
    """`` did you mean 'relu'?`` for a name that differs from one of ``known_names`` in
    case ("ReLU", "SGD") or by a slip ("rellu"); "" when none is near."""
    import difflib

    folded = {known.lower(): known for known in known_names}
    match = folded.get(name.lower())
    if match is None:
        close = difflib.get_close_matches(name.lower(), list(folded), n=1, cutoff=0.8)
        match = folded[close[0]] if close else None
    return f" did you mean {match!r}?" if match else ""


def check_replace(kind: str, name: str, own: frozenset[str], registered: Mapping[str, Any],
                  new: Any, replace: bool) -> None:
    """ValueError when registering ``new`` under ``name`` would replace one of lucidnet's
    own components (``own``) without ``replace``; the same object again is no change."""
    if name in own and not replace and registered[name] is not new:
        raise ValueError(f"{kind} {name!r} is one of lucidnet's own; register yours under "
                         "another name (or pass replace=True to replace it for this process)")
