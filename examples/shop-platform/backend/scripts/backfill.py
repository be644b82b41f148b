#!/usr/bin/env python3
"""Recompute order totals from their line items.

Usage: python scripts/backfill.py --since 2024-01-01 [--dry-run] [--db-name shop]
"""

import argparse
import asyncio
import subprocess
import sys
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import selectinload  # noqa: E402

from app.db import SessionLocal, engine  # noqa: E402
from app.models import Order  # noqa: E402


def backup(db_name: str, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = out_dir / f"{db_name}-pre-backfill-{stamp}.dump"
    subprocess.run(["pg_dump", "--format=custom", "--file", str(path), db_name], check=True)
    if path.stat().st_size == 0:
        raise RuntimeError(f"backup {path} is empty")
    return path


async def backfill(since: date, dry_run: bool) -> int:
    changed = 0
    async with SessionLocal() as session:
        result = await session.execute(
            select(Order).where(Order.created_at >= since).options(selectinload(Order.items))
        )
        for order in result.scalars():
            total = sum((item.unit_price * item.quantity for item in order.items), Decimal("0"))
            if total != order.total:
                print(f"order {order.id}: {order.total} -> {total}")
                order.total = total
                changed += 1
        if dry_run:
            await session.rollback()
        else:
            await session.commit()
    await engine.dispose()
    return changed


def main() -> int:
    parser = argparse.ArgumentParser(description="Recompute order totals from their line items.")
    parser.add_argument("--since", type=date.fromisoformat, required=True)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--db-name", default="shop")
    parser.add_argument("--backup-dir", type=Path, default=Path("var/backups"))
    args = parser.parse_args()

    if not args.dry_run:
        path = backup(args.db_name, args.backup_dir)
        print(f"backup written to {path}")
    changed = asyncio.run(backfill(args.since, args.dry_run))
    verb = "would be updated" if args.dry_run else "updated"
    print(f"{changed} order(s) {verb}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
