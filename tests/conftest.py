import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared_dir():
    if not SHARED.is_dir():
        pytest.skip("../shared/ is not present")
    return SHARED


@pytest.fixture(autouse=True)
def _no_config_env(monkeypatch):
    monkeypatch.delenv("GOVLINT_CONFIG", raising=False)
    from govlint import config
    config.find_for_dir.cache_clear()
    config._explicit.cache_clear()
