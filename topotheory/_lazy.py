"""One lazy-export helper for the package ``__init__`` modules.

A package lists ``name -> defining module`` once; a name is imported on first access (so
``import topotheory`` stays cheap and never imports torch), then cached in the package.

Examples
--------
>>> ns = {"__name__": "demo"}
>>> getattr_, dir_, all_ = lazy_exports(ns, {"sqrt": "math", "Fraction": "fractions"})
>>> all_
['Fraction', 'sqrt']
>>> getattr_("sqrt")(9.0), "sqrt" in ns
(3.0, True)
>>> getattr_("nope")
Traceback (most recent call last):
...
AttributeError: module 'demo' has no attribute 'nope'
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    namespace: dict[str, Any], exports: dict[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """``(__getattr__, __dir__, __all__)`` for a package exporting ``exports`` lazily.

    Parameters
    ----------
    namespace : dict
        The package's ``globals()``; loaded names are cached in it.
    exports : dict
        Public name -> dotted module that defines it.

    Use in a package ``__init__``::

        __getattr__, __dir__, __all__ = lazy_exports(globals(), {"name": "pkg.module"})
    """
    package = namespace["__name__"]
    # A name that is also the package's submodule (``simulate.overlap_limit``, the function,
    # in ``simulate/overlap_limit.py``): importing the submodule binds the package attribute
    # to the module, so the package keeps the name bound to the export instead (see
    # _ExportsOverSubmodules), and nothing is imported before its first use.
    shadowed = frozenset(name for name, module in exports.items()
                         if module == f"{package}.{name}")
    module_object = sys.modules.get(package)
    if shadowed and module_object is not None and vars(module_object) is namespace:
        namespace["_exports_over_submodules"] = shadowed
        module_object.__class__ = _ExportsOverSubmodules
    elif shadowed:  # not a package being imported: resolve those names now
        for name in shadowed:
            namespace[name] = getattr(importlib.import_module(exports[name]), name)

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(exports))

    return __getattr__, __dir__, sorted(exports)


class _ExportsOverSubmodules(types.ModuleType):
    """A package whose export named like its submodule stays the export.

    Python binds ``package.name`` to the submodule ``package.name`` when that submodule is
    first imported (after it has run); for a name in ``_exports_over_submodules`` the
    package binds the submodule's attribute of the same name instead (the function
    ``simulate.overlap_limit`` rather than the module ``simulate/overlap_limit.py``).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if (isinstance(value, types.ModuleType)
                and name in vars(self).get("_exports_over_submodules", ())
                and value.__name__ == f"{self.__name__}.{name}"):
            value = getattr(value, name)
        super().__setattr__(name, value)
