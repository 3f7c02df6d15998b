"""A faithful local replica of 椒江人大网, for the demo, the tests and the benchmarks."""
