"""Contract base classes: inherit one, name your function, and pytest checks every property.

networkx's ``MinimumSpanningTreeTestBase`` is the model: a shared test class per family,
inherited by one small class per implementation. Each contract has one test method per
property of its kind's battery; a method runs ``check_implementation`` on that property
alone and fails with its report. Class attributes: ``implementation`` (the function under
test; a plain function or a ``staticmethod``), ``options`` (the kind's options, dict),
``conventions``, ``profile`` and ``max_examples``. A property the options remove from the
battery (e.g. ``rieck_bound`` with ``essential="as_zero"``) is skipped.

Examples
--------
>>> import topotheory as tt
>>> class TestLibraryNp(NeuralPersistenceContract):
...     implementation = staticmethod(tt.neural_persistence)
...     max_examples = 5
>>> TestLibraryNp().test_scale_invariance()
>>> sorted(m for m in dir(MstContract) if m.startswith("test_"))[:2]
['test_invariant_under_non_forest_removal', 'test_matches_oracle']
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, ClassVar

from topotheory.testing.check import KINDS, check_implementation, resolve_options

__all__ = [
    "ConvMstContract",
    "ConvTccrContract",
    "DiagramContract",
    "ImplementationContract",
    "MstContract",
    "NeuralPersistenceContract",
    "OverlapContract",
    "PruningContract",
    "RecurrentMstContract",
]


class ImplementationContract:
    """Base of the contracts; subclasses set ``kind`` (the contracts below do)."""

    kind: ClassVar[str] = ""
    options: ClassVar[dict[str, Any]] = {}
    conventions: ClassVar[str | None] = None
    profile: ClassVar[str | None] = None
    max_examples: ClassVar[int | None] = None

    def _implementation(self) -> Callable:
        raw = inspect.getattr_static(type(self), "implementation", None)
        if raw is None:
            raise TypeError(f"{type(self).__name__} must set implementation = your function")
        return raw.__func__ if isinstance(raw, staticmethod) else raw

    def check_property(self, name: str) -> None:
        """Run one property of the battery against ``implementation`` (fail or skip)."""
        __tracebackhide__ = True
        opts = resolve_options(self.kind, self.conventions, dict(self.options))
        if name not in [p.name for p in KINDS[self.kind].battery(opts)]:
            import pytest

            pytest.skip(f"{name} is not part of the {self.kind!r} battery with these options")
        check_implementation(
            self.kind,
            self._implementation(),
            conventions=self.conventions,
            profile=self.profile,
            max_examples=self.max_examples,
            properties=[name],
            **self.options,
        )


def _contract(class_name: str, kind: str) -> type:
    """A contract class for ``kind`` with one ``test_<property>`` method per property."""

    def method(name: str) -> Callable:
        def test(self: ImplementationContract) -> None:
            __tracebackhide__ = True
            self.check_property(name)

        test.__name__ = f"test_{name}"
        test.__doc__ = f"Property {name!r} of the {kind!r} battery."
        return test

    names = [p.name for p in KINDS[kind].battery(KINDS[kind].options())]
    body = {f"test_{name}": method(name) for name in names}
    body.update(
        kind=kind,
        __doc__=f"Contract of kind {kind!r}: inherit and set implementation.",
        __module__=__name__,
    )
    return type(class_name, (ImplementationContract,), body)


MstContract = _contract("MstContract", "mst")
DiagramContract = _contract("DiagramContract", "diagram")
NeuralPersistenceContract = _contract("NeuralPersistenceContract", "neural_persistence")
OverlapContract = _contract("OverlapContract", "topk_overlap")
PruningContract = _contract("PruningContract", "pruning")
ConvMstContract = _contract("ConvMstContract", "conv_mst")
ConvTccrContract = _contract("ConvTccrContract", "conv_tccr")
RecurrentMstContract = _contract("RecurrentMstContract", "recurrent_mst")
