"""The pre-commit hook, for real: a reports repository using this checkout's hook.

pre-commit clones this checkout at the current HEAD commit and pip-installs it into
its own virtualenv (package registries needed), so this tests committed code.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import unavailable

ROOT = Path(__file__).resolve().parent.parent

BAD = ("20XX年度社区养老服务补助项目绩效自评报告\n\n"
       "一、项目基本情况\n"
       "本项目为辖区内65岁以上老年人提供助餐服务,全年服务12000人次。\n")
GOOD = ("# 社区养老服务工作说明\n\n"
        "全年为辖区老年人提供助餐服务12000人次，群众满意度为96%。\n")

FIXED = ("# 社区养老服务补助项目情况\n\n"
         "本项目为辖区内65岁以上老年人提供助餐服务，全年服务12000人次。\n")

pytestmark = pytest.mark.slow


def _pre_commit():
    exe = shutil.which("pre-commit")
    if exe:
        return [exe]
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        unavailable("pre-commit is not installed")
    return [sys.executable, "-m", "pre_commit"]


@pytest.fixture(scope="module")
def hook_home(tmp_path_factory):
    """pre-commit's cache (the hook's virtualenv) for this module only, removed afterwards."""
    home = tmp_path_factory.mktemp("pre-commit-home")
    yield home
    shutil.rmtree(home, ignore_errors=True)


def git(cwd, *args, check=True):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check)


@pytest.fixture
def reports_repo(tmp_path, hook_home):
    head = git(ROOT, "rev-parse", "HEAD").stdout.strip()
    listed = git(ROOT, "ls-tree", "--name-only", head, ".pre-commit-hooks.yaml").stdout.strip()
    assert listed == ".pre-commit-hooks.yaml", ".pre-commit-hooks.yaml must be committed at HEAD"
    repo = tmp_path / "reports-repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test Reviewer")
    git(repo, "config", "user.email", "reviewer@example.invalid")
    git(repo, "config", "commit.gpgsign", "false")
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {ROOT.as_posix()}\n"
        f"    rev: {head}\n"
        "    hooks:\n"
        "      - id: govlint\n", encoding="utf-8")
    (repo / "reports").mkdir()
    (repo / "reports" / "bad.txt").write_text(BAD, encoding="utf-8")
    (repo / "reports" / "good.md").write_text(GOOD, encoding="utf-8")
    (repo / "notes.py").write_text("x = 1\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVLINT_", "GIT_"))}
    env["PRE_COMMIT_HOME"] = str(hook_home)
    env["PRE_COMMIT_COLOR"] = "never"
    env["NO_COLOR"] = "1"
    return repo, env


def run(cmd, repo, env):
    return subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=900)


def test_hook_blocks_a_bad_report_and_passes_a_clean_one(reports_repo):
    repo, env = reports_repo
    pc = _pre_commit()
    git(repo, "add", ".pre-commit-config.yaml", "reports/good.md", "notes.py")
    r = run([*pc, "run", "--files", "reports/good.md", "notes.py"], repo, env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Passed" in r.stdout

    r = run([*pc, "run", "--files", "reports/bad.txt", "reports/good.md"], repo, env)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert "Failed" in out
    assert "reports/bad.txt:1:1: STYLE002" in out                      # the finding, readable
    assert "20XX" in out and "半角标点" in out
    assert "good.md:" not in out                                         # no findings for the clean one


def test_hook_in_a_real_commit(reports_repo):
    repo, env = reports_repo
    pc = _pre_commit()
    r = run([*pc, "install"], repo, env)
    assert r.returncode == 0, r.stdout + r.stderr
    git(repo, "add", ".pre-commit-config.yaml", "reports/good.md")
    r = run(["git", "commit", "-q", "-m", "clean report"], repo, env)
    assert r.returncode == 0, r.stdout + r.stderr
    git(repo, "add", "reports/bad.txt")
    r = run(["git", "commit", "-q", "-m", "bad report"], repo, env)
    out = r.stdout + r.stderr
    assert r.returncode != 0, out
    assert "STYLE002" in out and "20XX" in out
    assert git(repo, "log", "--oneline").stdout.count("\n") == 1        # the bad commit was blocked
    # fixed → the commit goes through
    (repo / "reports" / "bad.txt").write_text(FIXED, encoding="utf-8")
    git(repo, "add", "reports/bad.txt")
    r = run(["git", "commit", "-q", "-m", "fixed report"], repo, env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert git(repo, "log", "--oneline").stdout.count("\n") == 2


def test_fix_hook_applies_safe_fixes_and_fails_as_fixing_hooks_do(reports_repo):
    repo, env = reports_repo
    pc = _pre_commit()
    config = repo / ".pre-commit-config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("- id: govlint\n", "- id: govlint-fix\n"),
                      encoding="utf-8")
    git(repo, "add", ".pre-commit-config.yaml", "reports/bad.txt")
    r = run([*pc, "run", "--files", "reports/bad.txt"], repo, env)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert "files were modified by this hook" in out
    fixed = (repo / "reports" / "bad.txt").read_text(encoding="utf-8")
    assert "提供助餐服务，全年服务12000人次。" in fixed
    assert fixed.startswith("20XX年度")            # wording is never changed by a safe fix
    r = run([*pc, "run", "--files", "reports/bad.txt"], repo, env)
    assert r.returncode == 0, r.stdout + r.stderr   # nothing left to fix: the hook passes
