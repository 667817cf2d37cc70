"""Seed and bench data of the demand side: the marked demo layer and bench corpora."""
