"""Options per kind (issue 27 item 2): an option a kind does not use is an error, everywhere.

Checked exhaustively over the kinds: every option name of every other kind is refused by
``check_implementation`` (and by a contract class), naming the kinds that do use it, before
the function under test is ever called; every declared constraint refuses a value outside it.
"""

import pytest

from topotheory.testing import MstContract, NeuralPersistenceContract
from topotheory.testing.check import KINDS, check_implementation, kinds_using, resolve_options
from topotheory.testing.constraints import OneOf


def _never_called(*args, **kwargs):
    raise AssertionError("the function under test must not run when an option is refused")


ALL_OPTIONS = sorted({name for kind in KINDS.values() for name in kind.options.names()})


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_option_of_another_kind_is_refused(kind):
    own = KINDS[kind].options.names()
    foreign = [name for name in ALL_OPTIONS if name not in own]
    assert foreign, f"{kind!r} uses every option: nothing to refuse"
    for name in foreign:
        users = kinds_using(name)
        with pytest.raises(ValueError, match=f"does not use the option '{name}'") as err:
            check_implementation(kind, _never_called, **{name: None})
        assert all(user in str(err.value) for user in users)
        assert kind not in users


def test_the_issue_example_is_refused_and_names_the_first_foreign_option():
    with pytest.raises(ValueError, match="'scope'.*conv_tccr"):
        check_implementation(
            "neural_persistence",
            _never_called,
            scope="layer",
            reading="per_step",
            returns="params",
        )


def test_an_unknown_option_is_refused_saying_no_kind_has_it():
    with pytest.raises(ValueError, match="no kind has it"):
        check_implementation("mst", _never_called, colour="red")


def test_a_contract_refuses_an_option_its_kind_does_not_use():
    class TestMine(MstContract):
        implementation = staticmethod(_never_called)
        options = {"rtol": 1e-6}

    with pytest.raises(ValueError, match="kind='mst' does not use the option 'rtol'"):
        TestMine().test_matches_oracle()

    class TestNp(NeuralPersistenceContract):
        implementation = staticmethod(_never_called)
        options = {"tie_rule": "topotheory"}

    with pytest.raises(ValueError, match="'tie_rule'.*'mst'"):
        TestNp().test_scale_invariance()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_declared_choice_refuses_a_value_outside_it(kind):
    options = KINDS[kind].options
    constraints = {}
    for cls in reversed(options.__mro__):
        constraints.update(cls.__dict__.get("CONSTRAINTS", {}))
    assert set(options.names()) <= set(constraints), "an option without a declared constraint"
    for name in options.names():
        if isinstance(constraints[name], OneOf):
            with pytest.raises(ValueError, match=f"{name}='not-a-choice'"):
                resolve_options(kind, None, {name: "not-a-choice"})
