"""Stress tests of the real processes: kill -9 during indexing (crash), concurrent load against a server (load)."""
