"""Kuwait Social AI backend - application factory."""
import os

from flask import Flask, jsonify

from extensions import db


def create_app(config=None):
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get(
        "DATABASE_URL", "sqlite:///kuwait_social.db"
    )
    app.config["SQLALCHEMY_TRACK_MODIFICATIONS"] = False
    if config:
        app.config.update(config)

    db.init_app(app)

    with app.app_context():
        from models import User, Client, Post, Campaign  # noqa: F401

    @app.route("/health")
    def health():
        return jsonify(status="ok")

    @app.route("/campaigns")
    def list_campaigns():
        from models import Campaign

        campaigns = Campaign.query.order_by(Campaign.created_at.desc()).all()
        return jsonify(
            [{"id": c.id, "name": c.name, "status": c.status} for c in campaigns]
        )

    return app
