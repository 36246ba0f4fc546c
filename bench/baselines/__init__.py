"""Baseline planners the engine is compared against (bench only)."""
