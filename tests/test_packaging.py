"""Build the wheel, install it in a fresh virtual environment, lint a sample."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_and_lints(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    wheel = next(dist.glob("govlint-*.whl"))
    import zipfile
    names = zipfile.ZipFile(wheel).namelist()
    assert "govlint/lexicons/outline.toml" in names, "lexicons must ship inside the wheel"
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    # Dependencies come from the surrounding environment (a venv or the machine's Python alike:
    # system_site_packages would only see the base interpreter's); the package from the wheel.
    # Directories named in a .pth file are appended to sys.path without processing their own
    # .pth files, so an editable govlint there cannot shadow the wheel.
    inner = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                           check=True, capture_output=True, text=True).stdout.strip()
    outer = [path for path in dict.fromkeys(site.getsitepackages() + [site.getusersitepackages()])
             if Path(path).is_dir()]
    Path(inner, "outer-environment.pth").write_text("\n".join(outer) + "\n", encoding="utf-8")
    subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)], check=True,
                   capture_output=True, timeout=600)
    # nothing from the caller's PYTHONPATH (a checkout's src/) may shadow the wheel
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    sample = tmp_path / "r.txt"
    sample.write_text("2023年度项目资金绩效自评报告\n一、项目概况\n（一）基本情况\n内容。\n（2） 目标\n内容。\n",
                      encoding="utf-8")
    out = subprocess.run([str(env_dir / "bin" / "govlint"), "check", str(sample), "--select", "STRUCT001"],
                         capture_output=True, cwd=tmp_path, timeout=300, env=env)
    text = out.stdout.decode()
    assert out.returncode == 1, out.stderr.decode()
    assert "STRUCT001" in text
    where = subprocess.run([str(py), "-c", "import govlint, sys; print(govlint.__file__)"], capture_output=True,
                           cwd=tmp_path, text=True, env=env).stdout
    assert str(env_dir) in where, f"govlint imported from {where}, not the wheel"
    out = subprocess.run([str(py), "-m", "govlint", "rules"], capture_output=True, cwd=tmp_path, timeout=300,
                         env=env)
    assert out.returncode == 0 and b"STRUCT001" in out.stdout
