"""The project's one strict-JSON encoder: never ``NaN`` or ``Infinity``.

Every JSON the project writes goes through :func:`to_strict_jsonable` (the verdict JSON,
``--json`` outputs, the report's data files). One rule for non-finite numbers: JSON has
none (``json.dumps`` writes ``NaN``/``Infinity``, which strict parsers reject), so such a
value is written as ``null`` and its path and value (``"nan"``, ``"inf"``, ``"-inf"``) are
recorded; :func:`dumps_strict` lists them under the document's key ``"non_finite"`` (the
reason the ``null`` is there). numpy scalars and arrays, tuples, sets (sorted), exact
fractions (as ``"p/q"`` strings), dataclasses and paths are converted; anything else is
written as its ``str()``.

Examples
--------
>>> print(dumps_strict({"tccr": float("inf"), "n": 3}, indent=None))
{"tccr": null, "n": 3, "non_finite": {"tccr": "inf"}}
>>> dumps_strict([float("nan")], indent=None)
'[null]\\n'
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
from collections.abc import Iterator
from fractions import Fraction
from pathlib import PurePath
from typing import Any

__all__ = ["dumps_strict", "json_only_stdout", "json_stream", "to_strict_jsonable"]


def _describe(value: float) -> str:
    if math.isnan(value):
        return "nan"
    return "inf" if value > 0 else "-inf"


def to_strict_jsonable(obj: Any, *, path: str = "", found: dict[str, str] | None = None) -> Any:
    """``obj`` as plain JSON types; non-finite floats become ``None`` (recorded in
    ``found`` as ``path -> "inf" | "-inf" | "nan"``).

    Examples
    --------
    >>> found = {}
    >>> to_strict_jsonable({"a": [1.0, float("-inf")]}, found=found), found
    ({'a': [1.0, None]}, {'a/1': '-inf'})
    >>> from fractions import Fraction
    >>> to_strict_jsonable({"x": Fraction(1, 3), "y": (1, 2.5), "s": {3, 1}})
    {'x': '1/3', 'y': [1, 2.5], 's': [1, 3]}
    """
    if found is None:
        found = {}
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        if math.isfinite(obj):
            return float(obj)
        found[path or "/"] = _describe(obj)
        return None
    if isinstance(obj, Fraction):
        return str(obj)
    if isinstance(obj, PurePath):
        return str(obj)
    if isinstance(obj, dict):
        return {
            str(k): to_strict_jsonable(v, path=f"{path}/{k}" if path else str(k), found=found)
            for k, v in obj.items()
        }
    if isinstance(obj, (set, frozenset)):
        try:
            obj = sorted(obj)
        except TypeError:
            obj = sorted(obj, key=str)
    if isinstance(obj, (list, tuple)):
        return [
            to_strict_jsonable(v, path=f"{path}/{i}" if path else str(i), found=found)
            for i, v in enumerate(obj)
        ]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return to_strict_jsonable(dataclasses.asdict(obj), path=path, found=found)
    if hasattr(obj, "tolist"):  # numpy scalar or array
        return to_strict_jsonable(obj.tolist(), path=path, found=found)
    if hasattr(obj, "item"):
        return to_strict_jsonable(obj.item(), path=path, found=found)
    return str(obj)


def dumps_strict(obj: Any, *, indent: int | None = 2, sort_keys: bool = False) -> str:
    """Strict, deterministic JSON text with a trailing newline; see the module docstring.

    Examples
    --------
    >>> dumps_strict({"b": 1, "a": 2}, indent=None, sort_keys=True)
    '{"a": 2, "b": 1}\\n'
    """
    found: dict[str, str] = {}
    data = to_strict_jsonable(obj, found=found)
    if found and isinstance(data, dict):
        data["non_finite"] = found
    return json.dumps(data, indent=indent, sort_keys=sort_keys, allow_nan=False) + "\n"


def add_json_arguments(parser: Any, *, what: str = "the result") -> None:
    """Add ``--json`` (print JSON to stdout) and ``--json-out PATH`` (write it to a file).

    Examples
    --------
    >>> import argparse
    >>> p = argparse.ArgumentParser(); add_json_arguments(p)
    >>> p.parse_args(["--json-out", "r.json"]).json_out
    'r.json'
    """
    parser.add_argument("--json", action="store_true",
                        help=f"print {what} as JSON on stdout (strict JSON: no NaN/Infinity)")
    parser.add_argument("--json-out", metavar="PATH", default=None,
                        help=f"also write {what} as JSON to PATH (written atomically)")


def emit_json(args: Any, obj: Any, *, sort_keys: bool = False) -> bool:
    """Print ``obj`` on stdout if ``args.json`` and write it to ``args.json_out`` if set;
    returns whether JSON went to stdout (then the plain-text output is skipped).

    Examples
    --------
    >>> import argparse
    >>> emit_json(argparse.Namespace(json=True, json_out=None), {"a": 1})
    {
      "a": 1
    }
    True
    """
    text = dumps_strict(obj, sort_keys=sort_keys)
    out_path = getattr(args, "json_out", None)
    if out_path:
        from topotheory.safe_output import atomic_write_text

        atomic_write_text(out_path, text, argument="--json-out")
    if getattr(args, "json", False) is True:
        json_stream().write(text)
        return True
    return False


_stream: Any = None


def json_stream() -> Any:
    """Where a ``--json`` document goes: the real standard output, also while
    :func:`json_only_stdout` sends everything else to stderr.

    Examples
    --------
    >>> import sys
    >>> json_stream() is sys.stdout
    True
    """
    import sys

    return _stream if _stream is not None else sys.stdout


@contextlib.contextmanager
def json_only_stdout(active: bool = True) -> Iterator[None]:
    """Keep standard output for the JSON document alone.

    While active, ``print`` output and writes to file descriptor 1 (a user's model or
    claims printing, a library's messages) go to stderr; :func:`json_stream` is the real
    standard output, so ``--json`` output stays one valid JSON document.

    Examples
    --------
    >>> import io, contextlib
    >>> out = io.StringIO()
    >>> with contextlib.redirect_stdout(out), json_only_stdout():
    ...     print("chatter")  # goes to stderr
    ...     _ = json_stream().write('{"a": 1}')
    >>> out.getvalue()
    '{"a": 1}'
    """
    global _stream
    if not active:
        yield
        return
    import os
    import sys

    from topotheory.user_code import stdout_to_stderr

    real = sys.stdout
    stream = real
    fd = None
    try:
        if real.fileno() == 1:
            fd = os.dup(1)
            stream = os.fdopen(fd, "w", encoding=getattr(real, "encoding", None) or "utf-8")
    except (AttributeError, OSError, ValueError):
        stream = real
    previous, _stream = _stream, stream
    try:
        with stdout_to_stderr():
            yield
    finally:
        _stream = previous
        with contextlib.suppress(Exception):
            stream.flush()
        if fd is not None:
            with contextlib.suppress(Exception):
                stream.close()
