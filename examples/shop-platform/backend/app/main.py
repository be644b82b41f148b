"""Shop API: public API on /, back-office API mounted on /admin."""

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import redis.asyncio as redis
import uvicorn
from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.middleware.sessions import SessionMiddleware

from app.config import get_settings
from app.db import engine, get_session
from app.models import User
from app.routes import auth, orders
from app.routes.auth import require_admin
from app.services.activity_log import activity_log, audit_trail
from app.services.reports import (
    export_daily_sales,
    purge_staging_tables,
    refresh_sales_rollup,
    snapshot_database,
)

settings = get_settings()
logging.basicConfig(level=settings.log_level)
logger = logging.getLogger("shop")

CORS_ORIGINS = ["*"]
SESSION_SECRET = os.getenv("SESSION_SECRET", "shop-session-key-4f9a2c")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.redis = redis.from_url(settings.redis_url, decode_responses=True)
    logger.info("shop api starting (%s)", settings.environment)
    yield
    try:
        await app.state.redis.aclose()
    except Exception:  # nosec B110
        pass  # the connection may already be gone when the process is stopping
    await engine.dispose()


app = FastAPI(title="Shop API", version="1.4.0", lifespan=lifespan)
app.add_middleware(SessionMiddleware, secret_key=SESSION_SECRET, https_only=True)
app.add_middleware(
    CORSMiddleware,
    allow_origins=CORS_ORIGINS,
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
)
app.include_router(auth.router)
app.include_router(orders.router)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


admin_app = FastAPI(title="Shop Back Office")
admin_app.add_middleware(
    SessionMiddleware,
    secret_key=os.environ["ADMIN_SESSION_SECRET"],
    https_only=True,
    same_site="strict",
)
admin_app.add_middleware(
    CORSMiddleware,
    allow_origins=settings.admin_origins,
    allow_methods=["GET", "POST"],
    allow_headers=["*"],
)


@admin_app.get("/activity")
async def recent_activity(limit: int = 50, admin: User = Depends(require_admin)) -> list[dict[str, Any]]:
    return await activity_log.recent(limit)


@admin_app.post("/reports/daily-sales")
async def daily_sales_report(day: date, admin: User = Depends(require_admin)) -> dict[str, str]:
    path = await export_daily_sales(day)
    await audit_trail.append(admin.email, "export-daily-sales", str(path))
    return {"file": path.name}


@admin_app.post("/maintenance/purge-staging")
async def purge_staging(
    admin: User = Depends(require_admin),
    session: AsyncSession = Depends(get_session),
) -> dict[str, str]:
    backup = snapshot_database("shop", "pre-purge")
    await purge_staging_tables(session)
    await refresh_sales_rollup(session)
    await audit_trail.append(admin.email, "purge-staging", str(backup))
    return {"backup": backup.name}


app.mount("/admin", admin_app)


if __name__ == "__main__":
    uvicorn.run("app.main:app", host="0.0.0.0", port=8000, reload=True)
