"""Thin Strawberry types over the graph layer, split by area of the schema."""
