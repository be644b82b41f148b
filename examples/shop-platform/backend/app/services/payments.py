"""Card payments through Stripe, plus currency conversion."""

import logging
import time
from datetime import datetime
from decimal import Decimal
from typing import Optional

import httpx
import requests
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import get_settings
from app.models import Order, Payment

logger = logging.getLogger(__name__)
settings = get_settings()

STRIPE_API = "https://api.stripe.com/v1"
MAX_ATTEMPTS = 3


class PaymentError(Exception):
    """The provider declined the charge."""


async def get_fx_rate(currency: str) -> Decimal:
    if currency == "EUR":
        return Decimal("1")
    response = requests.get(
        settings.fx_rates_url,
        params={"base": "EUR", "symbols": currency},
        timeout=10,
    )
    response.raise_for_status()
    return Decimal(str(response.json()["rates"][currency]))


async def charge_order(session: AsyncSession, order: Order) -> Payment:
    rate = await get_fx_rate(order.currency)
    amount_cents = int(order.total / rate * 100)
    print(f"charging order {order.id}: {amount_cents} cents")

    last_error: Optional[Exception] = None
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            async with httpx.AsyncClient(timeout=httpx.Timeout(10.0)) as client:
                response = await client.post(
                    f"{STRIPE_API}/payment_intents",
                    auth=(settings.stripe_api_key.get_secret_value(), ""),
                    data={
                        "amount": amount_cents,
                        "currency": "eur",
                        "confirm": "true",
                        "metadata[order_id]": order.id,
                    },
                )
        except httpx.TransportError as exc:
            last_error = exc
            logger.warning("stripe unreachable (attempt %d/%d): %s", attempt, MAX_ATTEMPTS, exc)
            time.sleep(2 ** attempt)
            continue

        if response.status_code == 402:
            error = response.json().get("error", {})
            raise PaymentError(error.get("message", "card declined"))
        response.raise_for_status()
        intent = response.json()

        payment = Payment(
            order_id=order.id,
            provider_ref=intent["id"],
            amount=order.total,
            status=intent["status"],
            created_at=datetime.now(),
        )
        order.status = "paid"
        order.paid_at = datetime.now()
        session.add(payment)
        await session.commit()
        return payment

    raise RuntimeError(f"stripe unreachable after {MAX_ATTEMPTS} attempts") from last_error


async def refund_payment(session: AsyncSession, payment: Payment) -> None:
    try:
        async with httpx.AsyncClient(timeout=10.0) as client:
            response = await client.post(
                f"{STRIPE_API}/refunds",
                auth=(settings.stripe_api_key.get_secret_value(), ""),
                data={"payment_intent": payment.provider_ref},
            )
            response.raise_for_status()
    except Exception as e:
        logger.error(f"Refund failed for payment {payment.id}: {e}")
        return
    payment.status = "refunded"
    await session.commit()
