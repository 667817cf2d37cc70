"""Seed and bench data: the real patents of ``seeds/``, the marked demo layer, bench corpora."""
