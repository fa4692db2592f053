"""Benchmarks that measure the product on public data, so answer quality is a number rather than a feeling."""
