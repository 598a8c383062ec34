"""The command line's help states the comparison defaults the engine uses."""

import pytest

from workbench.cli import _global_options, build_parser
from workbench.core.compare import DEFAULT_MIN_SIMILARITY, DEFAULT_MIN_WORDS


def test_compare_help_states_the_engine_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser(_global_options).parse_args(["compare", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert f"(default {DEFAULT_MIN_WORDS})" in text
    assert f"(default {DEFAULT_MIN_SIMILARITY})" in text
