from models.base import Base
from models.customer import Customer
from models.order import Coupon, Order, OrderItem
from models.product import Category, Product
from models.staff import Packer, Picker, Shift, Staff
from models.audit import AuditLog, Note

__all__ = ["AuditLog", "Base", "Category", "Coupon", "Customer", "Note", "Order", "OrderItem", "Packer",
           "Picker", "Product", "Shift", "Staff"]
