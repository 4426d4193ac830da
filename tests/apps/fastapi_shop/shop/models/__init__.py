from shop.models.customer import Address, Customer
from shop.models.order import Order, OrderLine
from shop.models.product import Product, Supplier
from shop.models.staff import StaffUser
from shop.models.queries import PreviousOrder, Referrer

__all__ = ["Address", "Customer", "Order", "OrderLine", "Product", "StaffUser", "Supplier"]
