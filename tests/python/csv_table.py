"""The CSV text a command printed, read back as columns (shared by the study tests)."""
import numpy as np


def csv_columns(text):
    """(header, {name: [cell text, ...]}) of a CSV whose '#' lines are provenance."""
    lines = [l for l in text.splitlines() if not l.startswith("#")]
    header = lines[0].split(",")
    rows = [l.split(",") for l in lines[1:]]
    return header, {h: [r[i] for r in rows] for i, h in enumerate(header)}


def as_float(cells):
    """Cell texts as float64, empty cells as NaN."""
    return np.array([float(c) if c != "" else np.nan for c in cells])
