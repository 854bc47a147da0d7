"""docs/api.md, the API reference of ``import topotheory as tt``, generated from docstrings.

``python -m topotheory.apidoc`` rewrites ``docs/api.md`` from :data:`topotheory.API_GROUPS`
(the one list of the top-level names) and the numpydoc docstrings of the functions and
classes they name; ``--check`` only says whether the committed page is up to date (a test
runs it). Sources are read with :mod:`ast`, not imported, so the page is the same with or
without torch installed and building it imports nothing heavy.

Examples
--------
>>> text = api_reference()
>>> text.startswith("# API reference"), "### `tt.neural_persistence`" in text
(True, True)
>>> print(markdown_from_numpydoc("Sum.\\n\\nParameters\\n----------\\nx : int\\n    A value."))
Sum.
<BLANKLINE>
**Parameters**
<BLANKLINE>
- `x` : int — A value.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import inspect
import re
import sys
import textwrap
from pathlib import Path

__all__ = ["api_reference", "main", "markdown_from_numpydoc"]

#: Where the page lives in a checkout.
PAGE = Path(__file__).resolve().parents[1] / "docs" / "api.md"
_ENTRY_SECTIONS = ("Parameters", "Returns", "Yields", "Raises", "Attributes", "Other Parameters",
                   "Warns")
_HEADER = """# API reference

Everything `import topotheory as tt` offers, grouped by what it is for. Generated from the
docstrings by `python -m topotheory.apidoc` (do not edit by hand; a test fails when this page
and the docstrings disagree). The names load lazily: `import topotheory` never imports
torch, and the names under *Torch models* (and `model_tccr`) import it on first use.

The examples (`pycon` blocks) are the docstrings' own and run as doctests in CI
(`tests/test_doctests.py`, and `tests/nn/test_doctests_torch.py` for torch-backed modules),
in the namespace of the module that defines the name.

Every result type shares one behaviour (`topotheory.result.Result`): a one-line `repr`
(under 300 characters whatever the layer size), `to_dict()` with strict JSON types
(`json.dumps(r.to_dict(), allow_nan=False)` works; exact fractions as `"p/q"` strings next
to their float), `to_frame()` for tabular results (pandas, optional) and an HTML table in
Jupyter. Inputs: every function taking a layer accepts numpy arrays, torch tensors
(detached and moved to the CPU; float16/bfloat16 read as float32) and anything with
`__array__`.
"""


def _module_source(module: str) -> ast.Module:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise LookupError(f"cannot find module {module!r}")
    return ast.parse(Path(spec.origin).read_text(encoding="utf-8"))


def _definition(tree: ast.Module, name: str) -> ast.FunctionDef | ast.ClassDef:
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
            return node
    raise LookupError(f"{name!r} is not defined at the top level of its module")


def _roles(text: str) -> str:
    """RST roles and double backticks as markdown code spans."""
    text = re.sub(r":(?:func|class|meth|mod|data|attr|exc|obj):`~?[\w.]*?\.?(\w+)`",
                  lambda m: f"`{m.group(0).split('`')[1].lstrip('~').split('.')[-1]}`"
                  if "~" in m.group(0) else f"`{m.group(0).split('`')[1]}`", text)
    return text.replace("``", "`")


def _entries(lines: list[str]) -> list[str]:
    items: list[list[str]] = []
    for line in lines:
        if not line.strip():
            continue
        if not line.startswith(" "):
            name, _, kind = line.partition(" : ")
            names = ", ".join(f"`{n.strip()}`" for n in name.split(","))
            items.append([f"- {names}" + (f" : {kind.strip()}" if kind else "")])
        elif items:
            items[-1].append(line.strip())
    out = []
    for head, *rest in items:
        out.append(head + (" — " + " ".join(rest) if rest else ""))
    return out


def markdown_from_numpydoc(doc: str) -> str:
    """A numpydoc docstring as markdown: section titles bold, parameter-like entries as a
    list, examples in a ``pycon`` block, other text as written."""
    lines = inspect.cleandoc(doc).splitlines()
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    i = 0
    while i < len(lines):
        line = lines[i]
        underline = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if line.strip() and underline and set(underline) == {"-"} and \
                len(underline) == len(line.strip()):
            sections.append((line.strip(), []))
            i += 2
            continue
        sections[-1][1].append(line)
        i += 1
    out: list[str] = []
    for title, body in sections:
        body_text = "\n".join(body).strip("\n")
        if title is None:
            if body_text:
                out.append(_roles(textwrap.dedent(body_text)))
            continue
        out.append(f"**{title}**")
        if title in _ENTRY_SECTIONS:
            out.append(_roles("\n".join(_entries(body))))
        elif title == "Examples":
            out.append("```pycon\n" + textwrap.dedent(body_text) + "\n```")
        else:
            out.append(_roles(textwrap.dedent(body_text)))
    return "\n\n".join(part for part in out if part)


def _signature(node: ast.FunctionDef | ast.ClassDef, name: str) -> str:
    if isinstance(node, ast.FunctionDef):
        returns = f" -> {ast.unparse(node.returns)}" if node.returns else ""
        return f"{name}({ast.unparse(node.args)}){returns}"
    fields = [f"{ast.unparse(s.target)}: {ast.unparse(s.annotation)}" for s in node.body
              if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
              and not ast.unparse(s.annotation).startswith("ClassVar")]
    bases = ", ".join(ast.unparse(b) for b in node.bases)
    head = f"class {name}" + (f"({bases})" if bases else "")
    return head + ("\n    " + "\n    ".join(fields) if fields else "")


def _entry(name: str, module: str) -> str:
    node = _definition(_module_source(module), name)
    doc = ast.get_docstring(node) or ""
    signature = textwrap.fill(_signature(node, name), width=96, subsequent_indent="    ",
                              break_long_words=False, replace_whitespace=False) \
        if isinstance(node, ast.FunctionDef) else _signature(node, name)
    return "\n\n".join([
        f"### `tt.{name}`",
        f"```text\n{signature}\n```",
        f"Defined in `{module}`.",
        markdown_from_numpydoc(doc) if doc else "(no docstring)",
    ])


def api_reference() -> str:
    """The text of docs/api.md."""
    from topotheory import API_GROUPS

    parts = [_HEADER.strip(), "## Contents"]
    parts.append("\n".join(
        f"- **{group}**: " + ", ".join(f"`{name}`" for name in names)
        for group, names in API_GROUPS.items()))
    for group, names in API_GROUPS.items():
        parts.append(f"## {group}")
        parts.extend(_entry(name, module) for name, module in names.items())
    return "\n\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python -m topotheory.apidoc [--check] [--out PATH]``: write or check the page."""
    parser = argparse.ArgumentParser(prog="python -m topotheory.apidoc", description=__doc__
                                     .splitlines()[0])
    parser.add_argument("--out", type=Path, default=PAGE, help="the page (default docs/api.md)")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if the page differs from the docstrings (write nothing)")
    args = parser.parse_args(argv)
    text = api_reference()
    current = args.out.read_text(encoding="utf-8") if args.out.is_file() else None
    if args.check:
        if current != text:
            print(f"{args.out} is stale: run python -m topotheory.apidoc", file=sys.stderr)
            return 1
        return 0
    if current != text:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
