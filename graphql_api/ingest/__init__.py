"""Readers for the published releases and the builder that writes a snapshot."""
