"""Per-claim checks of the paper; ``python -m proofs_check`` prints the verdict table."""
