"""Insights computed from the real data: world maps, peer benchmarks, ambition against
implementation. Pure modules, except `data`, which reads the database (docs/architecture.md)."""
