"""The suite's tiers (pytest.ini): a test without one stops the run, the most expensive tier marker decides, and
`-m fast` (make test-fast) takes the unit tier and the smoke test only."""

import pytest

from santa_videos_tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.unit

TESTS = '''
import pytest

pytestmark = pytest.mark.unit

def test_quick():
    pass

@pytest.mark.slow
def test_with_a_daemon():
    pass

@pytest.mark.slow
@pytest.mark.smoke
def test_end_to_end():
    pass

@pytest.mark.parametrize("storage", ["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def test_on(storage):
    pass
'''


@pytest.fixture
def suite(pytester):
    pytester.makeini((PROJECT_ROOT / "pytest.ini").read_text())
    pytester.makeconftest("from santa_videos_tests.conftest import pytest_collection_modifyitems  # noqa: F401\n")
    return pytester


def test_the_fast_selection_is_the_unit_tier_and_the_smoke_test(suite):
    suite.makepyfile(test_example=TESTS)
    result = suite.runpytest("-m", "fast", "-v")
    result.assert_outcomes(passed=3, deselected=2)
    result.stdout.fnmatch_lines(["*test_quick PASSED*", "*test_end_to_end PASSED*", "*test_on?sqlite? PASSED*"])


def test_a_test_without_a_tier_stops_the_run(suite):
    suite.makepyfile(test_example="def test_unclassified():\n    pass\n")
    result = suite.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*tests without a tier*", "*test_example.py::test_unclassified*"])
