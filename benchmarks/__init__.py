"""Benchmarks: `./dev bench` runs every benchmarks/bench_*.py and prints each figure by its target."""
