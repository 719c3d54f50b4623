import sys
from pathlib import Path

# Tests import their helpers (notebooks.py, submissions/) from this folder.
sys.path.insert(0, str(Path(__file__).resolve().parent))
