"""A small OpenAI-compatible embeddings server (`POST /v1/embeddings`) over a local sentence-transformers model,
for testing and measuring RAG_EMBED_URL on a machine with no third-party one: infinity-emb would downgrade numpy,
typer and rich here, and llama.cpp's server needs the model converted to GGUF. Like those servers it embeds the
text it is given (no prompts added: the client adds the model's), with the model's own pooling, normalised.

    python -m eval.embed_server --model models/multilingual-e5-small --port 8089
"""

from __future__ import annotations

import argparse
import threading
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel

from rag.core.settings import Settings


class EmbeddingRequest(BaseModel):
    input: str | list[str]
    model: str = ""


def make_app(model_dir: Path) -> FastAPI:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu")
    lock = threading.Lock()  # one forward pass at a time on a small CPU
    app = FastAPI(title="embeddings")

    @app.post("/v1/embeddings")
    def embeddings(req: EmbeddingRequest) -> dict[str, object]:
        texts = [req.input] if isinstance(req.input, str) else req.input
        with lock:
            vecs = model.encode(texts, batch_size=16, normalize_embeddings=True, convert_to_numpy=True)
        return {"object": "list", "model": req.model or model_dir.name,
                "data": [{"object": "embedding", "index": i, "embedding": v.tolist()} for i, v in enumerate(vecs)],
                "usage": {"prompt_tokens": 0, "total_tokens": 0}}

    return app


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=Settings(_env_file=None).resolved_embed_model())
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8089)
    a = ap.parse_args()
    uvicorn.run(make_app(a.model), host=a.host, port=a.port, log_level="warning")


if __name__ == "__main__":
    main()
