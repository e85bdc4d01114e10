"""Kerngroep Klachten: complaints handling by the Kerngroep complaints procedure."""
