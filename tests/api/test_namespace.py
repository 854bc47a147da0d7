"""One documented top-level namespace: every everyday call is ``tt.<name>``, lazily."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import topotheory
import topotheory as tt
from topotheory import API_GROUPS

TORCH_BACKED = {"model_tccr", "layer_weights", "audit_model", "prune_step", "trace_model", "Mask",
                "ModelReport"}
#: The everyday calls the issue timed (1-6 minutes each to find), as one would guess them.
EVERYDAY = ["neural_persistence", "maximum_spanning_forest", "persistence_diagram",
            "topk_mst_overlap", "overlap_lower_bound", "predicted_overlap", "random_mask_null",
            "simulate_overlap", "appendix_c_probabilities", "model_tccr", "gate_blocks",
            "prune_step", "audit_model", "layer_weights"]


def test_the_everyday_calls_are_top_level():
    missing = [name for name in EVERYDAY if name not in topotheory.__all__]
    assert not missing
    assert set(topotheory.__all__) <= set(dir(tt))


@pytest.mark.torch
@pytest.mark.parametrize(("group", "name"), [(g, n) for g, names in API_GROUPS.items()
                                              for n in names])
def test_each_name_is_the_object_its_module_defines(group, name):
    module = importlib.import_module(API_GROUPS[group][name])
    assert getattr(tt, name) is getattr(module, name)
    assert getattr(module, name).__doc__, f"{name} has no docstring for docs/api.md"


def test_simulate_exports_the_overlap_law():
    import topotheory.simulate as sim

    assert sim.predicted_overlap(3, 4).exact is not None and "predicted_overlap" in sim.__all__


def test_unknown_names_fail_clearly():
    with pytest.raises(AttributeError, match="no attribute 'nueral_persistence'"):
        tt.nueral_persistence  # noqa: B018


def test_the_numpy_names_never_import_torch():
    names = [n for names in API_GROUPS.values() for n in names if n not in TORCH_BACKED]
    code = ("import sys, topotheory as tt\n"
            f"for name in {names!r}:\n    getattr(tt, name)\n"
            "print('torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
