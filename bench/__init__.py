"""The benchmarks: each runs side by side with its baseline in one process and prints medians."""
