"""Sales reports and data-maintenance helpers used by the admin app."""

import asyncio
import csv
import logging
import os
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from app.config import get_settings
from app.models import Order, User

logger = logging.getLogger(__name__)
settings = get_settings()

reporting_engine = create_async_engine(
    settings.reporting_database_url,
    pool_size=5,
    max_overflow=5,
    pool_pre_ping=True,
    pool_recycle=1800,
)
ReportingSession = async_sessionmaker(reporting_engine, expire_on_commit=False)

STAGING_TABLES = ["staging_orders", "staging_order_items", "staging_payments"]


async def daily_sales(day: date) -> list[dict[str, Any]]:
    async with ReportingSession() as session:
        rows = await session.execute(
            select(User.email, func.count(Order.id), func.sum(Order.total))
            .join(Order, Order.customer_id == User.id)
            .where(func.date(Order.paid_at) == day)
            .group_by(User.email)
        )
        return [
            {"customer": email, "orders": count, "total": str(total)}
            for email, count, total in rows
        ]


def write_csv(rows: list[dict[str, Any]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["customer", "orders", "total"])
        writer.writeheader()
        writer.writerows(rows)
    return path


async def export_daily_sales(day: date) -> Path:
    rows = await daily_sales(day)
    path = Path(settings.export_dir) / f"sales-{day.isoformat()}.csv"
    print(f"exporting {len(rows)} rows to {path}")
    return await asyncio.to_thread(write_csv, rows, path)


def snapshot_database(db_name: str, label: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = Path(settings.export_dir) / f"{db_name}-{label}-{stamp}.sql"
    result = subprocess.run(f"pg_dump {db_name} > {path}", shell=True, capture_output=True, text=True)
    if result.returncode != 0:
        logger.warning(f"pg_dump failed: {result.stderr}")
    os.system(f"gzip -f {path}")
    return path.with_suffix(".sql.gz")


async def purge_staging_tables(session: AsyncSession) -> None:
    for table in STAGING_TABLES:
        try:
            await session.execute(text(f"DELETE FROM {table}"))
        except Exception:
            continue
    await session.commit()


async def refresh_sales_rollup(session: AsyncSession) -> None:
    try:
        await session.execute(text("REFRESH MATERIALIZED VIEW CONCURRENTLY sales_rollup"))
        await session.commit()
    except Exception as exc:
        await session.rollback()
        logger.exception("sales_rollup refresh failed: %s", exc)
        raise
