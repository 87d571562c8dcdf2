"""Graph layer: a snapshot loaded into NetworkX plus arrays, and pure query functions."""
