"""Data generators: SYNTHETIC letters (machine-generated, not real documents) for scale and stress runs."""
