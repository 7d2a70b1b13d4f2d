"""The quickstart examples in the curve and optimiser modules' docstrings run and print what they say."""

import doctest

import pytest

from dyplan.model import optimiser, response


@pytest.mark.parametrize("module", [response, optimiser], ids=lambda m: m.__name__)
def test_module_examples_run_as_written(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
