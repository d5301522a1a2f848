"""policy-reply RAG. The subpackages follow the data path:

    core (records, errors, settings, limits, text, tokens, places, files)
    → ingest (load → clean → structure → chunk) → index (store, dense, sparse, generations)
    → embed (the Embedder role; torch and ONNX backends; e5 build and ONNX export)
    → search (fusion, retrieval, follow-ups) → answer (extractive, LLM) / draft
    → evaluation; `pipeline` wires them together and `cli` sits on top (the API is in `api/`).
"""
