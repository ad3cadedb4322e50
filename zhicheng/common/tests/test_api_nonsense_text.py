"""No 500 from nonsense in a query string (nul-inside, long); see api_nonsense.py."""

import pytest

from zhicheng.common.tests.api_nonsense import officer, probe, probe_cases  # noqa: F401


@pytest.mark.parametrize(("prefix", "label"), probe_cases("nul-inside", "long"))
def test_nonsense_in_any_filter_is_never_a_server_error(api_client, officer, prefix, label):  # noqa: F811
    probe(api_client(officer), prefix, label)
