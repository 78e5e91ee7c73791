"""Keeping what readers see consistent with what a command just wrote."""
