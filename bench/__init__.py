"""Benchmark (`make bench`, bench/run.py) and load run (`make load`, bench/load.py)."""
