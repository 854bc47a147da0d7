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
    # in ``simulate/overlap_limit.py``) is resolved now: importing the submodule later binds
    # the package attribute to the module only on the submodule's first import, so once the
    # function is bound here the attribute stays the function whatever is imported after.
    for name, module in exports.items():
        if module == f"{package}.{name}":
            namespace[name] = getattr(importlib.import_module(module), name)

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
