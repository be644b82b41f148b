"""Order API tests (run with: pytest -q)."""

from decimal import Decimal
from unittest.mock import AsyncMock, MagicMock

import pytest
from fastapi.testclient import TestClient

from app.db import get_session
from app.main import app
from app.models import Order, OrderItem, User
from app.routes.auth import get_current_user
from app.routes.orders import _serialize


def test_serialize_order_totals():
    order = Order(id=7, customer_id=1, status="pending", total=Decimal("20.00"), currency="EUR")
    items = [OrderItem(sku="MUG-1", quantity=2, unit_price=Decimal("10.00"))]
    data = _serialize(order, items)
    print(data)
    assert data["total"] == "20.00"
    assert data["items"][0]["sku"] == "MUG-1"
    assert data["paid_at"] is None


@pytest.fixture
def client():
    user = User(id=1, email="ann@example.com", password_hash="x", is_admin=False)
    session = MagicMock()
    session.commit = AsyncMock()
    session.rollback = AsyncMock()
    app.dependency_overrides[get_current_user] = lambda: user
    app.dependency_overrides[get_session] = lambda: session
    yield TestClient(app), session
    app.dependency_overrides.clear()


def test_create_order_rejects_empty_items(client):
    test_client, _ = client
    response = test_client.post("/orders", json={"items": []})
    print(response.json())
    assert response.status_code == 422


def test_get_unknown_order_returns_404(client):
    test_client, session = client
    session.scalar = AsyncMock(return_value=None)
    response = test_client.get("/orders/999")
    assert response.status_code == 404


def test_get_other_customers_order_returns_404(client):
    test_client, session = client
    foreign = Order(id=5, customer_id=2, status="paid", total=Decimal("9.99"), currency="EUR")
    foreign.items = []
    session.scalar = AsyncMock(return_value=foreign)
    response = test_client.get("/orders/5")
    assert response.status_code == 404
