"""Machine-readable output formats beyond the core's text / JSON / SARIF (report.py)."""
