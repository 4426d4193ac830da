"""HTTP handlers (the web framework is wired up in main.py; the models are what matter here)."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from shop.models import Customer, Order


def list_orders(session: Session, customer_id: int) -> list[Order]:
    customer = session.get(Customer, customer_id)
    if customer is None:
        return []
    return list(session.scalars(customer.orders.select().order_by(Order.status)))


def open_orders(session: Session) -> list[Order]:
    return list(session.scalars(select(Order).where(Order.status == "new")))
