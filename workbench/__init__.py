"""Workbench: an offline research workbench for reading, searching and comparing articles."""

__version__ = "0.1.0"
