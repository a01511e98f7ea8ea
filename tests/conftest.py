import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def _pattern_cache_in_tmp(tmp_path_factory):
    """govlint processes started by tests keep their compiled-pattern cache out of ~/.cache."""
    old = os.environ.get("GOVLINT_CACHE_DIR")
    os.environ["GOVLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("govlint-cache"))
    yield
    if old is None:
        os.environ.pop("GOVLINT_CACHE_DIR", None)
    else:
        os.environ["GOVLINT_CACHE_DIR"] = old


@pytest.fixture
def shared_dir():
    if not SHARED.is_dir():
        pytest.skip("../shared/ is not present")
    return SHARED


@pytest.fixture(autouse=True)
def _no_config_env(monkeypatch):
    monkeypatch.delenv("GOVLINT_CONFIG", raising=False)   # no longer read; a stale shell value must not matter
    from govlint import config
    config.find_for_dir.cache_clear()
