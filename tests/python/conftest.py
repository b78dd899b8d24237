"""Shared fixtures: the built `initlab` tool (INITLAB_CLI, set by run.py) and a runner."""
import json
import os
import subprocess

import pytest


@pytest.fixture
def cli():
    path = os.environ.get("INITLAB_CLI")
    if not path:
        pytest.skip("INITLAB_CLI is not set (run through ctest -L python)")

    def run(*args, check=True):
        r = subprocess.run([path, *map(str, args)], capture_output=True, text=True)
        if check and r.returncode != 0:
            raise AssertionError(f"initlab {' '.join(map(str, args))} exited {r.returncode}: {r.stderr}")
        return r

    return run


@pytest.fixture
def cli_json(cli):
    def run(*args):
        r = cli(*args, check=False)
        return r.returncode, json.loads(r.stdout)

    return run
