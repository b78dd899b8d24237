"""ctest entry (label python): runs the pytest files beside this one against the built
module. argv: the initlab tool, the folder holding the built module. Exits 77 (ctest's
SKIP_RETURN_CODE) with a message where pytest or numpy is missing."""
import os
import sys

try:
    import numpy  # noqa: F401
    import pytest
except ImportError as e:
    print(f"SKIP: {e.name} is not installed (scripts/deps.sh installs python3-pytest, python3-numpy)")
    sys.exit(77)

os.environ["INITLAB_CLI"] = sys.argv[1]
sys.path.insert(0, sys.argv[2])
sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", os.path.dirname(os.path.abspath(__file__))]))
