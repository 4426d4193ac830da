"""Aliases the reports use (built at import)."""

from sqlalchemy.orm import aliased

from shop.models.customer import Customer
from shop.models.order import Order

PreviousOrder = aliased(Order, name="previous_order")
Referrer = aliased(Customer, name="referrer")
