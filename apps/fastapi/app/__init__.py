"""The bakeoff shop on FastAPI: async endpoints, Pydantic v2 models, an asyncpg pool."""
