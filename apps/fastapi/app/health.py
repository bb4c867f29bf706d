from fastapi import APIRouter

from .db import Connection

router = APIRouter()


@router.get("/health")
async def health(conn: Connection) -> dict[str, str]:
    await conn.fetchval("SELECT 1", timeout=5)
    return {"status": "ok"}
