"""Deal embeddings: the MiniLM embedder and the Qdrant index of deal vectors."""
