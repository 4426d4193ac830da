"""ormfix: find, fix and verify broken SQLAlchemy model mappings."""

__version__ = "0.1.0"
