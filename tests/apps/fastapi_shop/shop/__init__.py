"""A small order service (FastAPI + SQLAlchemy 2.0)."""
