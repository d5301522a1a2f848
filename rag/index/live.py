"""The live generation as a light reader sees it: its name (CURRENT) and the letters it answers from, read
from its manifest without loading FAISS or BM25 (`rag docs` and /api/documents need no more).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

GEN_NAME = re.compile(r"gen-[0-9]{14}-[0-9a-f]{6}")
LETTER_SHA = 16  # hex digits of each letter's file hash kept in the manifest: enough to tell versions apart

__all__ = ["GEN_NAME", "LETTER_SHA", "current_name", "live_letters"]


def current_name(index_dir: Path) -> str | None:
    p = index_dir / "CURRENT"
    return p.read_text().strip() if p.exists() else None


def live_letters(index_dir: Path) -> dict[str, str] | None:
    """doc id → sha256 prefix of every letter the live generation was built from ("" for a generation built
    before the manifest listed them: its rows name the letters, not their versions); None when no generation
    is live or its manifest is unreadable. Reads the manifest only (no checksums): cheap enough per request.

    A letter in the store but not here (or here in another version) was read by a `rag index` that was killed
    or failed before its new generation went live: the index cannot answer from it yet."""
    name = current_name(index_dir)
    if not name or not GEN_NAME.fullmatch(name):
        return None
    try:
        manifest = json.loads((index_dir / name / "manifest.json").read_text())
        if isinstance(manifest.get("letters"), dict):
            return {str(d): str(v) for d, v in manifest["letters"].items()}
        return dict.fromkeys(json.loads((index_dir / name / "rows.json").read_text()), "")
    except (OSError, ValueError, AttributeError):
        return None
