"""Index integrity: the manifest's checksums and counts, damage detected at open with the way to rebuild,
`rag index --rebuild` repairing from the store without re-embedding, and a damaged SQLite store reported."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import Result

from rag.index import generation as index_mod
from rag.core.errors import IndexDamagedError, IndexMismatchError, StoreDamagedError
from rag.pipeline import Pipeline
from rag.core.settings import Settings
from tests.conftest import FakeEmbedder

QUESTION = "温州市有多少家养老机构？"


def _gen(settings: Settings) -> Path:
    return settings.index_dir / str(index_mod.current_name(settings.index_dir))


def _answers(pipe: Pipeline) -> list[list[str]]:
    return [[h.chunk.id for h in pipe.search(QUESTION, k=5, mode=m)] for m in ("bm25", "dense", "hybrid")]


def test_manifest_lists_every_file_with_size_and_sha256(pipeline: Pipeline, settings: Settings) -> None:
    _, stats = pipeline.index()
    d = _gen(settings)
    manifest = json.loads((d / "manifest.json").read_text())
    on_disk = sorted(p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file() and p.name != "manifest.json")
    assert sorted(manifest["files"]) == on_disk
    assert {"dense.faiss", "dense.json", "bm25.json", "rows.json"} <= set(on_disk)
    assert any(f.startswith("bm25/") for f in on_disk)
    for rel, info in manifest["files"].items():
        data = (d / rel).read_bytes()
        assert info == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    assert (manifest["documents"], manifest["chunks"]) == pipeline.store.count() == (5, stats.chunks)
    assert (manifest["embedder"], manifest["dim"]) == ("fake-bigram-256", 256)


def _flip_byte(d: Path) -> None:
    p = d / "dense.faiss"
    data = bytearray(p.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit of one vector: FAISS would load it and rank silently wrong
    p.write_bytes(bytes(data))


def _truncate_bm25(d: Path) -> None:
    p = max((d / "bm25").iterdir(), key=lambda f: f.stat().st_size)
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])


def _delete_rows(d: Path) -> None:
    (d / "rows.json").unlink()


def _edit_manifest(**changes: object) -> Callable[[Path], None]:
    def edit(d: Path) -> None:
        m = json.loads((d / "manifest.json").read_text())
        (d / "manifest.json").write_text(json.dumps({**m, **{k: (v(m[k]) if callable(v) else v)
                                                            for k, v in changes.items()}}))
    return edit


def _garble_manifest(d: Path) -> None:
    (d / "manifest.json").write_text('{"format": 2, "embedder": ')


def _garble_current(d: Path) -> None:
    (d.parent / "CURRENT").write_text("../../etc")


def _delete_generation(d: Path) -> None:
    for p in sorted(d.rglob("*"), reverse=True):
        p.rmdir() if p.is_dir() else p.unlink()
    d.rmdir()


DAMAGE = {
    "flipped byte in dense.faiss": (_flip_byte, "dense.faiss does not match its checksum"),
    "truncated bm25 file": (_truncate_bm25, "bytes, the manifest says"),
    "deleted rows.json": (_delete_rows, "rows.json is missing"),
    "manifest chunk count edited": (_edit_manifest(chunks=lambda n: n + 1), "dense.faiss rows"),
    "manifest dim edited": (_edit_manifest(dim=128), "dense.faiss dim 256 (manifest: 128)"),
    "manifest file list removed": (_edit_manifest(files={}), "lacks its file list"),
    "manifest not JSON": (_garble_manifest, "manifest.json is unreadable"),
    "CURRENT garbage": (_garble_current, "not a generation name"),
    "generation deleted": (_delete_generation, "manifest.json is missing"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damage_is_refused_at_open_and_rebuild_repairs_it(
    damage: str, pipeline: Pipeline, settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    pipeline.index()
    before = _answers(pipeline)
    hurt, phrase = DAMAGE[damage]
    hurt(_gen(settings))

    with pytest.raises(IndexDamagedError) as e:
        index_mod.load(settings.index_dir, fake_embedder.name)
    msg = str(e.value)
    assert phrase in msg and str(settings.index_dir) in msg
    assert f"rag index --rebuild --index-dir {settings.index_dir}" in msg
    assert not index_mod.is_current(pipeline.store, settings.index_dir, fake_embedder.name)
    reader = Pipeline(settings, embedder=FakeEmbedder())  # a fresh process: no silently wrong results
    with pytest.raises(IndexDamagedError):
        reader.search(QUESTION)

    fake_embedder.embedded.clear()
    stats = pipeline.rebuild()
    assert stats.embedded == 0 == len(fake_embedder.embedded)  # every vector came from the store's cache
    assert index_mod.load(settings.index_dir, fake_embedder.name).manifest["chunks"] == pipeline.store.count()[1]
    assert _answers(Pipeline(settings, embedder=FakeEmbedder())) == before


def test_plain_rag_index_also_rebuilds_a_damaged_index(pipeline: Pipeline, settings: Settings) -> None:
    pipeline.index()
    _flip_byte(_gen(settings))
    report, stats = pipeline.index()
    assert not report.changed and stats is not None  # files unchanged, but the index was not usable
    index_mod.load(settings.index_dir, "fake-bigram-256")


def test_cli_rebuild_repairs_from_the_store_without_reading_files(
    settings: Settings, pipeline: Pipeline, corpus_copy: Path, rag_cli: Callable[..., Result]
) -> None:
    pipeline.index([corpus_copy])
    for f in corpus_copy.iterdir():  # the store is the source of truth: the letters' files may be gone
        f.unlink()
    _truncate_bm25(_gen(settings))

    broken = rag_cli("search", QUESTION)
    assert broken.exit_code == 2
    assert f"rag index --rebuild --index-dir {settings.index_dir}" in " ".join(broken.output.split())
    fixed = rag_cli("index", "--rebuild")
    assert fixed.exit_code == 0, fixed.output
    assert "added" not in fixed.stdout and "(0 embedded, rest cached)" in fixed.stdout
    assert pipeline.store.count()[0] == 5
    assert "温州市民政局" in rag_cli("search", QUESTION, "--k", "1").stdout


def test_old_format_and_other_embedder_make_rag_index_rebuild(pipeline: Pipeline, settings: Settings) -> None:
    pipeline.index()
    _edit_manifest(format=1)(_gen(settings))
    with pytest.raises(IndexMismatchError, match=r"format 1, this version reads 2: .*rag index --rebuild"):
        index_mod.load(settings.index_dir, None)
    assert pipeline.index()[1] is not None

    other = Pipeline(settings, embedder=FakeEmbedder(dim=64, name="other-model-64"))
    report, stats = other.index()  # same files, new model: the index must follow the configured embedder
    assert not report.changed and stats is not None
    assert index_mod.load(settings.index_dir, "other-model-64").manifest["dim"] == 64
    assert other.index()[1] is None  # and then it is current


def test_a_killed_build_leaves_temporaries_the_next_build_removes(pipeline: Pipeline, settings: Settings) -> None:
    pipeline.index()
    (settings.index_dir / ".gen-20240101000000-abcdef.tmp" / "bm25").mkdir(parents=True)
    (settings.index_dir / ".CURRENT.1a2b3c").write_text("gen-20240101000000-abcdef")
    pipeline.rebuild()
    assert not [p.name for p in settings.index_dir.iterdir() if p.name.startswith(".")]


def _overwrite_header(db: Path) -> None:
    with open(db, "r+b") as f:
        f.write(b"this is not a SQLite file at all")


def _corrupt_pages(db: Path) -> None:
    with closing(sqlite3.connect(db)) as c:
        page = c.execute("PRAGMA page_size").fetchone()[0]
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with open(db, "r+b") as f:  # keep the header page, garble the b-tree pages after it
        f.seek(page)
        f.write(b"\xff" * page * 4)


@pytest.mark.parametrize("damage", [_overwrite_header, _corrupt_pages])
def test_damaged_store_is_reported_not_a_traceback(
    damage: Callable[[Path], None], settings: Settings, corpus_copy: Path, rag_cli: Callable[..., Result]
) -> None:
    first = Pipeline(settings, embedder=FakeEmbedder())
    first.index([corpus_copy])
    first.store.close()
    damage(settings.db_path)

    with pytest.raises(StoreDamagedError) as e:
        Pipeline(settings, embedder=FakeEmbedder()).index([corpus_copy])
    assert str(settings.db_path) in str(e.value) and "Restore it from a backup" in str(e.value)
    result = rag_cli("index", corpus_copy)
    assert result.exit_code == 2 and "is damaged" in result.output and "Traceback" not in result.output
    # the read path says the same, in the CLI and the API
    for args in (("docs",), ("ask", "温州市有多少家养老机构？"), ("show", "reply-01.txt")):
        result = rag_cli(*args)
        assert result.exit_code == 2 and "is damaged" in result.output, (args, result.output)
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(settings, Pipeline(settings, embedder=FakeEmbedder())),
                    raise_server_exceptions=False) as client:
        for url in ("/api/documents", "/api/search?q=养老", "/api/health"):
            r = client.get(url)
            body = r.json()  # the API says it in Chinese, with a code, and keeps the store's own words
            assert r.status_code == 503 and body["code"] == "store_damaged" and "is damaged" in body["reason"], (
                url, r.status_code, r.text[:200])
