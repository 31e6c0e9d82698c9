"""Benchmarks: one script per figure, each printing its figures as a final JSON line."""
