"""Benchmarks: each prints figures and ratios against a baseline in one run (`python -m eval.bench` runs the
suite; the modules here are its stages and can run alone)."""
