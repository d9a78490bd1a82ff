"""Benchmarks: whole-process timings written to benchmarks/RESULTS.md."""
