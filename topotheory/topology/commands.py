"""CLI subcommand of the topology core: ``topotheory np`` (``bench``: simulate/speed_commands)."""

from __future__ import annotations

import argparse
from typing import Any

from topotheory.jsonout import add_json_arguments, emit_json


def register(subparsers: Any) -> None:
    """Add ``np`` to the ``topotheory`` command."""
    p = subparsers.add_parser(
        "np", help="diagram summary and neural persistence of a weight matrix"
    )
    p.add_argument("weights", help=".npy file holding a 2-D weight matrix (m_out, n_in); "
                   "float16/32/64, integer and big-endian arrays are converted to float64")
    p.add_argument("--p", type=float, default=2.0,
                   help="order of the norm, a positive number or inf (default 2)")
    p.add_argument("--zero-weights", choices=("present", "absent"), default="present",
                   help="a weight of exactly 0 is an edge of weight 0 (present, Rieck's "
                   "convention) or no edge (absent) (default: present)")
    add_json_arguments(p, what="the summary")
    p.set_defaults(func=_run_np)


def np_summary(weights: Any, *, p: float = 2.0, zero_weights: str = "present") -> dict:
    """The summary that ``topotheory np`` prints.

    Examples
    --------
    >>> import numpy as np
    >>> np_summary(np.array([[1.0, 0.5]]))["points"]
    2
    """
    import numpy as np

    from topotheory.topology._validation import as_weight_matrix
    from topotheory.topology.diagram import diagram_from_forest
    from topotheory.topology.forest import maximum_spanning_forest
    from topotheory.topology.overlap import topk_mst_overlap
    from topotheory.topology.persistence import neural_persistence

    w = as_weight_matrix(weights)
    forest = maximum_spanning_forest(w, zero_weights=zero_weights)
    diagram = diagram_from_forest(forest)
    overlap = topk_mst_overlap(w, zero_weights=zero_weights)
    pers = diagram.persistence
    return {
        "shape": list(w.shape),
        "n_nodes": forest.n_nodes,
        "mst_edges": forest.size,
        "components": forest.n_components,
        "w_max": diagram.w_max,
        "points": len(diagram),
        "persistence_min": float(pers.min()) if pers.size else 0.0,
        "persistence_median": float(np.median(pers)) if pers.size else 0.0,
        "persistence_max": float(pers.max()) if pers.size else 0.0,
        "p": p,
        "neural_persistence": neural_persistence(w, p=p, zero_weights=zero_weights),
        "np_normalized_rieck_bound": neural_persistence(
            w, p=p, zero_weights=zero_weights, normalize="rieck_bound"
        ),
        "np_normalized_rieck_code": neural_persistence(
            w, p=p, zero_weights=zero_weights, normalize="rieck_code"
        ),
        "topk_mst_overlap": overlap.fraction,
        "tccr": w.size / forest.size if forest.size else float("inf"),
    }


def _run_np(args: argparse.Namespace) -> int:
    from topotheory.safe_input import read_npy
    from topotheory.topology.diagram import _check_p

    _check_p(args.p)
    from topotheory.errors import InputError

    weights = read_npy(args.weights, argument="WEIGHTS")
    try:
        summary = np_summary(weights, p=args.p, zero_weights=args.zero_weights)
    except InputError as error:
        if error.argument != "weights":
            raise
        raise type(error)(
            error.problem, argument="WEIGHTS", value=args.weights,
            fix=f"save a suitable array in the file ({error.fix})",
        ) from None
    if not emit_json(args, summary):
        width = max(len(k) for k in summary)
        for key, value in summary.items():
            shown = f"{value:.6g}" if isinstance(value, float) else value
            print(f"{key:<{width}}  {shown}")
    return 0
