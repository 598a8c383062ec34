"""The research engine: reading, indexing, searching, entities, comparison and notes.

Nothing in this package imports Qt; an import-linter contract enforces it.
"""
