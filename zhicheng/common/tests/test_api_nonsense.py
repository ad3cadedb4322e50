"""No 500 from nonsense in a query string (letters, too-big); see api_nonsense.py."""

import pytest

from zhicheng.common.tests.api_nonsense import (  # noqa: F401
    collection_endpoints,
    officer,
    probe,
    probe_cases,
    router,
)


def test_every_registered_resource_has_a_collection_endpoint_to_probe():
    endpoints = collection_endpoints()
    # imports and export-jobs are reached by id only (a preview's or a job's own URL);
    # application-materials by an application's id (its ticked 业绩 and 申报材料清单).
    assert {prefix for prefix, _v, _b in router.registry} - set(endpoints) <= {
        "imports",
        "export-jobs",
        "application-materials",
    }
    assert any(path.endswith("/export/") for paths in endpoints.values() for path, _ in paths)


@pytest.mark.parametrize(("prefix", "label"), probe_cases("letters", "too-big"))
def test_nonsense_in_any_filter_is_never_a_server_error(api_client, officer, prefix, label):  # noqa: F811
    probe(api_client(officer), prefix, label)
