"""Order endpoints."""

import logging
from decimal import Decimal
from typing import Any, Iterable, Optional

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.db import get_session
from app.models import Order, OrderItem, User
from app.routes.auth import get_current_user
from app.services.activity_log import activity_log
from app.services.payments import PaymentError, charge_order

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/orders", tags=["orders"])


class OrderItemIn(BaseModel):
    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(gt=0, le=100)
    unit_price: Decimal = Field(gt=0)


class OrderIn(BaseModel):
    items: list[OrderItemIn] = Field(min_length=1)
    currency: str = Field(default="EUR", pattern="^[A-Z]{3}$")


def _serialize(order: Order, items: Iterable[OrderItem]) -> dict[str, Any]:
    return {
        "id": order.id,
        "status": order.status,
        "total": str(order.total),
        "currency": order.currency,
        "paid_at": order.paid_at.isoformat() if order.paid_at else None,
        "items": [
            {"sku": item.sku, "quantity": item.quantity, "unit_price": str(item.unit_price)}
            for item in items
        ],
    }


async def fetch_order(session: AsyncSession, order_id: int) -> Optional[Order]:
    try:
        return await session.scalar(
            select(Order).where(Order.id == order_id).options(selectinload(Order.items))
        )
    except Exception:
        return None


@router.get("")
async def list_orders(
    limit: int = 50,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
) -> list[dict[str, Any]]:
    result = await session.execute(
        select(Order)
        .where(Order.customer_id == user.id)
        .options(selectinload(Order.items))
        .order_by(Order.created_at.desc())
        .limit(min(limit, 200))
    )
    return [_serialize(order, order.items) for order in result.scalars()]


@router.get("/dashboard")
async def orders_dashboard(session: AsyncSession = Depends(get_session)) -> dict[str, Any]:
    result = await session.execute(select(Order).order_by(Order.created_at.desc()).limit(100))
    recent = []
    for order in result.scalars().all():
        items = await session.scalars(select(OrderItem).where(OrderItem.order_id == order.id))
        recent.append(_serialize(order, items))
    revenue = await session.scalar(
        select(func.coalesce(func.sum(Order.total), 0)).where(Order.status == "paid")
    )
    return {"revenue": str(revenue), "recent": recent}


@router.get("/{order_id}")
async def get_order(
    order_id: int,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
) -> dict[str, Any]:
    order = await fetch_order(session, order_id)
    if order is None or order.customer_id != user.id:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Order not found")
    return _serialize(order, order.items)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_order(
    payload: OrderIn,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
) -> dict[str, Any]:
    order = Order(customer_id=user.id, currency=payload.currency, status="pending")
    order.items = [
        OrderItem(sku=item.sku, quantity=item.quantity, unit_price=item.unit_price)
        for item in payload.items
    ]
    order.total = sum((item.unit_price * item.quantity for item in payload.items), Decimal("0"))
    session.add(order)
    try:
        await session.commit()
    except IntegrityError as exc:
        await session.rollback()
        logger.warning("order rejected for user %s: %s", user.id, exc.orig)
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail="Duplicate order") from exc
    await activity_log.record("order.created", {"order_id": order.id, "user_id": user.id})
    return _serialize(order, order.items)


@router.post("/{order_id}/pay")
async def pay_order(
    order_id: int,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
) -> dict[str, Any]:
    order = await fetch_order(session, order_id)
    if order is None or order.customer_id != user.id:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Order not found")
    if order.status == "paid":
        return _serialize(order, order.items)
    try:
        payment = await charge_order(session, order)
    except PaymentError as exc:
        logger.warning("payment declined for order %s: %s", order.id, exc)
        raise HTTPException(status_code=status.HTTP_402_PAYMENT_REQUIRED, detail=str(exc)) from exc
    except Exception as e:
        logger.error(f"Payment failed for order {order.id}: {e}")
        raise HTTPException(status_code=500, detail="Payment failed")
    await activity_log.record("order.paid", {"order_id": order.id, "payment": payment.provider_ref})
    return _serialize(order, order.items)
