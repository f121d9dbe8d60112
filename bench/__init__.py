"""Benchmarks: `python -m bench.run_all` (see README). Targets live here, not in unit tests."""
