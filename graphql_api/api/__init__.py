"""API layer: thin Strawberry types over graph functions."""
