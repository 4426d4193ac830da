"""Shared Flask extensions (created unbound; bound in app.create_app)."""
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
