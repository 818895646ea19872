"""Benchmarks at municipal scale: `python -m bench.run` (or `make bench`)."""
