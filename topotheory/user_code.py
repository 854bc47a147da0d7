"""The boundary around a user's code: claims modules, model factories, models.

Everything topotheory runs on the user's behalf goes through here:

* :func:`import_user_module` imports a dotted module or a ``.py`` file without letting it
  shadow anything: a file is loaded under a private name (a ``numpy.py`` of claims never
  replaces ``numpy``), and the working folder is searched *after* the installed packages,
  never ahead of them.
* :func:`calling_user_code` runs a block (an import, a factory call, a check, a forward
  pass) with ``print`` output and writes to file descriptor 1 sent to stderr, and turns
  ``SystemExit`` and every exception raised in the user's files into an
  :class:`~topotheory.errors.InputError` (exit status 2) naming the argument, the file and
  the line.
* :class:`ProtectedState` records topotheory's functions, classes, constants, the modules
  already imported and the claim registry before user code runs; :meth:`~ProtectedState.verify`
  finds what user code replaced (a registered claim, a check, the verdict comparison, a
  function's code, ``sys.modules['numpy']``), restores it and refuses the run.

Examples
--------
>>> import sys, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "numpy.py"
>>> _ = path.write_text("VALUE = 42\\n")
>>> module = import_user_module(str(path), argument="--claims-from")
>>> module.VALUE, sys.modules.get("numpy") is module
(42, False)
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import os
import sys
import sysconfig
import traceback
import types
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any

from topotheory._entry import drop_working_folder_from_front
from topotheory.errors import InputError, listed

__all__ = [
    "ProtectedState",
    "TamperError",
    "calling_user_code",
    "drop_working_folder_from_front",
    "import_user_module",
    "stdout_to_stderr",
    "user_frame",
]

#: Packages whose functions user code may not replace.
PROTECTED_PACKAGES: tuple[str, ...] = ("topotheory", "proofs_check")
#: Third-party and standard modules whose top-level functions the verdicts rely on.
PROTECTED_MODULES: tuple[str, ...] = ("builtins", "math", "operator", "fractions", "json",
                                      "numpy", "sympy")
_PRIVATE_PREFIX = "topotheory_user_module_"
_imported_files: dict[str, types.ModuleType] = {}


# --------------------------------------------------------------------------- stdout


def _fileno(stream: Any) -> int | None:
    try:
        return stream.fileno()
    except (AttributeError, OSError, ValueError):
        return None


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Send everything written to standard output meanwhile to standard error.

    Both ``sys.stdout`` (``print``) and file descriptor 1 (C extensions, ``os.write``) are
    redirected, so user code can never add text to topotheory's output (a table, a JSON
    document).

    Examples
    --------
    >>> with stdout_to_stderr():
    ...     print("shown on stderr")
    """
    saved_stream = sys.stdout
    err = sys.stderr
    with contextlib.suppress(Exception):
        saved_stream.flush()
    saved_fd = None
    err_fd = _fileno(err)
    target_fd = err_fd if err_fd is not None else 2
    if target_fd != 1:
        try:
            os.fstat(target_fd)
            saved_fd = os.dup(1)
            os.dup2(target_fd, 1)
        except OSError:
            saved_fd = None
    sys.stdout = err
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
        sys.stdout = saved_stream
        if saved_fd is not None:
            os.dup2(saved_fd, 1)
            os.close(saved_fd)


# ------------------------------------------------------------------- user frames


def _library_roots() -> tuple[str, ...]:
    roots = {str(Path(p).resolve()) for p in (
        sysconfig.get_paths().get("stdlib"), sysconfig.get_paths().get("platstdlib"),
        sysconfig.get_paths().get("purelib"), sysconfig.get_paths().get("platlib"),
    ) if p}
    for name in PROTECTED_PACKAGES:
        module = sys.modules.get(name)
        if module is not None and getattr(module, "__file__", None):
            roots.add(str(Path(module.__file__).resolve().parent))
    return tuple(sorted(roots))


def _is_user_file(filename: str, user_files: Iterable[str], roots: tuple[str, ...]) -> bool:
    if not filename or filename.startswith("<"):
        return False
    resolved = str(Path(filename).resolve())
    if resolved in user_files:
        return True
    return not any(resolved == r or resolved.startswith(r + os.sep) for r in roots)


def user_frame(
    error: BaseException, user_files: Iterable[str] = ()
) -> traceback.FrameSummary | None:
    """The innermost frame of ``error``'s traceback in the user's code: a file of
    ``user_files``, or any file outside the standard library, the installed packages and
    topotheory. A ``SyntaxError`` points at its own file and line.

    Examples
    --------
    >>> try:
    ...     int("x")
    ... except ValueError as e:
    ...     user_frame(e) is None or user_frame(e).name == "<module>"
    True
    """
    files = {str(Path(f).resolve()) for f in user_files}
    roots = _library_roots()
    if isinstance(error, SyntaxError) and error.filename:
        if _is_user_file(error.filename, files, roots):
            return traceback.FrameSummary(error.filename, error.lineno or 0, "<module>")
    found = None
    for frame in traceback.extract_tb(error.__traceback__):
        if _is_user_file(frame.filename, files, roots):
            found = frame
    return found


def _where(frame: traceback.FrameSummary | None) -> str:
    if frame is None:
        return ""
    shown = frame.filename
    with contextlib.suppress(ValueError):
        shown = os.path.relpath(frame.filename)
    if shown.startswith(".."):
        shown = frame.filename
    return f" ({shown}, line {frame.lineno}, in {frame.name})"


def _summary(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    first = text[0][:200] if text else ""
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


@contextlib.contextmanager
def calling_user_code(
    what: str, *, argument: str, value: Any, user_files: Iterable[str] = (),
    fix: str = "fix that code", all_errors: bool = True,
) -> Iterator[None]:
    """Run user code: stdout to stderr, ``SystemExit`` and exceptions to one clear
    :class:`~topotheory.errors.InputError`.

    Parameters
    ----------
    what : str
        What is being run, for the message (``"importing 'my_claims'"``).
    argument, value
        The argument that named the user code (``--module``, ``'pkg.mod:factory'``).
    user_files : iterable of str
        The user's files, so their frames are recognised as the user's.
    fix : str
        How to fix it.
    all_errors : bool
        ``True``: every exception is the user's (an import, a factory call). ``False``:
        only exceptions with a frame in the user's code are (a forward pass driven by
        topotheory's tracer); others pass through unchanged.

    Examples
    --------
    >>> with calling_user_code("calling the factory", argument="--module", value="m:f"):
    ...     raise SystemExit(0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    topotheory.errors.InputError: --module='m:f': calling the factory called sys.exit(0)...
    """
    files = list(user_files)
    try:
        with stdout_to_stderr():
            yield
    except InputError:
        raise
    except KeyboardInterrupt:
        raise
    except SystemExit as error:
        frame = user_frame(error, files)
        raise InputError(
            f"{what} called sys.exit({error.code!r}){_where(frame)}", argument=argument,
            value=value, fix="user code must return or raise, not exit the process",
        ) from None
    except (Exception, GeneratorExit) as error:  # noqa: BLE001 - the user's code failed
        frame = user_frame(error, files)
        if frame is None and not all_errors:
            raise
        raise InputError(f"{what} raised {_summary(error)}{_where(frame)}", argument=argument,
                         value=value, fix=fix) from error


# ------------------------------------------------------------------------- imports


@contextlib.contextmanager
def _working_folder_last(extra: Iterable[str] = ()) -> Iterator[None]:
    """Search the working folder (and ``extra`` folders) after the installed packages:
    a user's ``numpy.py`` never shadows numpy."""
    saved = list(sys.path)
    cwd = os.getcwd()
    front = {"", ".", cwd}
    sys.path[:] = [p for p in sys.path if p not in front]
    for folder in [cwd, *extra]:
        if folder not in sys.path:
            sys.path.append(folder)
    try:
        yield
    finally:
        sys.path[:] = saved


def _private_name(path: Path) -> str:
    digest = hashlib.sha256(str(path).encode("utf-8")).hexdigest()[:12]
    stem = "".join(c if c.isalnum() or c == "_" else "_" for c in path.stem)
    return f"{_PRIVATE_PREFIX}{digest}_{stem}"


def import_user_module(spec: str, *, argument: str) -> types.ModuleType:
    """Import a user's module: a dotted name (searched in the installed packages, then the
    working folder) or the path of a ``.py`` file (loaded under a private module name).

    Runs behind :func:`calling_user_code`: output goes to stderr; a missing module, an
    error while importing and ``sys.exit`` are :class:`~topotheory.errors.InputError`
    naming ``argument``, the file and the line.

    Examples
    --------
    >>> import_user_module("no_such_module_xyz", argument="--module")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    topotheory.errors.InputError: --module='no_such_module_xyz': cannot import 'no_such_module_xyz'...
    """
    if spec.endswith(".py"):
        from topotheory.safe_input import regular_file

        path = regular_file(spec, argument=argument, what=".py file").resolve()
        cached = _imported_files.get(str(path))
        if cached is not None:
            return cached
        name = _private_name(path)
        loader_spec = importlib.util.spec_from_file_location(name, path)
        if loader_spec is None or loader_spec.loader is None:
            raise InputError("cannot be imported as a Python module", argument=argument,
                             value=spec, fix="give a .py file or a dotted module name")
        module = importlib.util.module_from_spec(loader_spec)
        sys.modules[name] = module
        try:
            with _working_folder_last([str(path.parent)]), calling_user_code(
                f"importing {path.name}", argument=argument, value=spec,
                user_files=[str(path)], fix="fix the error in that file",
            ):
                loader_spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(name, None)
            raise
        _imported_files[str(path)] = module
        return module
    if not spec or not all(part.isidentifier() for part in spec.split(".")):
        raise InputError("is not a module name", argument=argument, value=spec,
                         fix="give a dotted module name (pkg.module) or the path of a .py file")
    try:
        with _working_folder_last(), calling_user_code(
            f"importing {spec!r}", argument=argument, value=spec, fix="fix the error there",
        ):
            try:
                return importlib.import_module(spec)
            except ModuleNotFoundError as error:
                if error.name and (spec == error.name or spec.startswith(error.name + ".")):
                    raise _NotFoundError(error.name) from None
                raise
    except _NotFoundError as missing:
        raise InputError(
            f"cannot import {spec!r}: no module named {missing.name!r} in the installed "
            "packages or the working folder", argument=argument, value=spec,
            fix="run from the folder that holds it, or add its folder to PYTHONPATH",
        ) from None


class _NotFoundError(InputError):
    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__("not found", argument="module", value=name)


def module_files(module: types.ModuleType) -> list[str]:
    """The file of ``module`` (for :func:`calling_user_code`'s ``user_files``)."""
    file = getattr(module, "__file__", None)
    return [str(Path(file).resolve())] if file else []


# ---------------------------------------------------------------- protected state

_MISSING = object()
_SCALARS = (int, float, complex, str, bytes, bool, type(None), tuple, frozenset)


def _is_ours(name: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in PROTECTED_PACKAGES)


def _function_state(fn: Any) -> tuple[Any, ...]:
    return (getattr(fn, "__code__", None), getattr(fn, "__defaults__", None),
            getattr(fn, "__kwdefaults__", None))


def _tracked(name: str, value: Any, ours: bool) -> bool:
    if name.startswith("__") and name.endswith("__"):
        return False
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type,
                          types.ModuleType)) or callable(value):
        return True
    return ours and isinstance(value, _SCALARS) and not name.startswith("_")


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


def _same_fields(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    if a is None or b is None:
        return a is b
    if a.keys() != b.keys():
        return False
    return all(_same_fields(a[k], b[k]) if k.endswith(".") else a[k] is b[k] for k in a)


def _fields(obj: Any, depth: int = 2) -> dict[str, Any] | None:
    state = getattr(obj, "__dict__", None)
    if not isinstance(state, dict):
        return None
    found = dict(state)
    if depth > 1:
        for key, value in state.items():
            inner = _fields(value, depth - 1)
            if inner is not None and not isinstance(value, (type, types.ModuleType)):
                found[f"{key}."] = inner
    return found


class TamperError(InputError):
    """User code replaced something of topotheory's (restored before this is raised)."""


class ProtectedState:
    """What user code may not change, recorded before it runs.

    Parameters
    ----------
    registries : mapping of str to dict
        Registries whose existing entries must stay (``{"CLAIMS": CLAIMS, ...}``): user
        code may add entries, never replace or remove one.

    Examples
    --------
    >>> import json
    >>> state = ProtectedState(registries={})
    >>> original = json.dumps
    >>> json.dumps = lambda *a, **k: "forged"
    >>> state.verify(argument="--claims-from", value="forge.py")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    topotheory.user_code.TamperError: --claims-from='forge.py': replaced json.dumps...
    >>> json.dumps is original
    True
    """

    def __init__(self, *, registries: Mapping[str, MutableMapping[str, Any]]) -> None:
        self._modules = dict(sys.modules)
        self._attributes: dict[str, dict[str, Any]] = {}
        self._functions: dict[int, tuple[Any, tuple[Any, ...], str]] = {}
        self._classes: dict[int, tuple[type, dict[str, Any], str]] = {}
        for name, module in self._modules.items():
            ours = _is_ours(name)
            if not (ours or name in PROTECTED_MODULES) or not isinstance(module, types.ModuleType):
                continue
            attrs = {k: v for k, v in vars(module).items() if _tracked(k, v, ours)}
            self._attributes[name] = attrs
            for key, value in attrs.items():
                if isinstance(value, types.FunctionType):
                    self._functions[id(value)] = (value, _function_state(value), f"{name}.{key}")
                elif ours and isinstance(value, type) and _is_ours(value.__module__):
                    self._classes[id(value)] = (value, dict(vars(value)), f"{name}.{key}")
                    for member, inner in vars(value).items():
                        if isinstance(inner, types.FunctionType):
                            self._functions[id(inner)] = (
                                inner, _function_state(inner), f"{name}.{key}.{member}")
        self._registries = registries
        self._entries = {label: dict(reg) for label, reg in registries.items()}
        self._entry_fields = {
            label: {k: _fields(v) for k, v in reg.items()} for label, reg in registries.items()
        }

    def changes(self) -> list[str]:
        """What was replaced or removed since the record (empty when nothing was)."""
        found: list[str] = []
        for name, module in self._modules.items():
            if sys.modules.get(name, _MISSING) is not module:
                found.append(f"sys.modules[{name!r}]")
        for name, attrs in self._attributes.items():
            namespace = vars(self._modules[name])
            for key, value in attrs.items():
                now = namespace.get(key, _MISSING)
                if now is value:
                    continue
                if isinstance(now, types.ModuleType) and now is sys.modules.get(f"{name}.{key}"):
                    continue  # a submodule imported since, bound on its package
                found.append(f"{name}.{key}")
        for fn, state, label in self._functions.values():
            if not _same(_function_state(fn), state):
                found.append(f"{label} (its code or defaults)")
        for cls, members, label in self._classes.values():
            now = vars(cls)
            for key in set(members) | set(now):
                if key in ("__abstractmethods__", "_abc_impl"):
                    continue
                if now.get(key, _MISSING) is not members.get(key, _MISSING):
                    found.append(f"{label}.{key}")
        for label, entries in self._entries.items():
            registry = self._registries[label]
            for key, value in entries.items():
                if registry.get(key, _MISSING) is not value:
                    found.append(f"{label}[{key!r}]")
                elif not _same_fields(_fields(value), self._entry_fields[label][key]):
                    found.append(f"{label}[{key!r}] (its fields)")
        return sorted(dict.fromkeys(found))

    def restore(self) -> None:
        """Put back everything recorded (the process can go on safely)."""
        for name, module in self._modules.items():
            if sys.modules.get(name, _MISSING) is not module:
                sys.modules[name] = module
        for name, attrs in self._attributes.items():
            module = self._modules[name]
            for key, value in attrs.items():
                now = vars(module).get(key, _MISSING)
                if now is not value and not (isinstance(now, types.ModuleType)
                                             and now is sys.modules.get(f"{name}.{key}")):
                    setattr(module, key, value)
        for fn, (code, defaults, kwdefaults), _ in self._functions.values():
            if not _same(_function_state(fn), (code, defaults, kwdefaults)):
                fn.__code__, fn.__defaults__, fn.__kwdefaults__ = code, defaults, kwdefaults
        for cls, members, _ in self._classes.values():
            now = dict(vars(cls))
            for key in set(members) | set(now):
                if key in ("__abstractmethods__", "_abc_impl", "__dict__", "__weakref__"):
                    continue
                if now.get(key, _MISSING) is members.get(key, _MISSING):
                    continue
                with contextlib.suppress(AttributeError, TypeError):
                    if key in members:
                        setattr(cls, key, members[key])
                    else:
                        delattr(cls, key)
        for label, entries in self._entries.items():
            registry = self._registries[label]
            for key, value in entries.items():
                registry[key] = value
                fields = self._entry_fields[label][key]
                if fields is not None and not _same_fields(_fields(value), fields):
                    for field, inner in fields.items():
                        if not field.endswith("."):
                            object.__setattr__(value, field, inner)

    def verify(self, *, argument: str, value: Any) -> None:
        """Raise :class:`TamperError` (an :class:`~topotheory.errors.InputError`) naming
        what user code replaced,
        after restoring it; do nothing when nothing was.

        Examples
        --------
        >>> ProtectedState(registries={}).verify(argument="--module", value="m:f")
        """
        changed = self.changes()
        if not changed:
            return
        self.restore()
        raise TamperError(
            f"replaced {listed(changed, 4)}; user code may add claims, never replace a "
            "registered claim, a function of topotheory's or a module it imported",
            argument=argument, value=value,
            fix="remove those assignments; register new claims with register_claim and "
            "claim_check",
        )


