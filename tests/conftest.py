"""Shared pytest configuration: the hypothesis profiles come from topotheory's plugin."""
