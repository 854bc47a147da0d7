import pytest
from hypothesis import settings

from topotheory.testing.profiles import PROFILE_NAMES, load_profile


def test_ci_profile_is_derandomized_without_deadline():
    current = settings._current_profile
    try:
        assert load_profile("ci") == "ci"
        ci = settings.get_profile("ci")
        assert ci.derandomize is True
        assert ci.deadline is None
        assert settings.get_profile("deep").max_examples > ci.max_examples
    finally:
        settings.load_profile(current)


def test_unknown_profile_is_a_clear_error():
    with pytest.raises(ValueError, match="choose one of"):
        load_profile("fast")
    assert PROFILE_NAMES == ("dev", "ci", "deep")
