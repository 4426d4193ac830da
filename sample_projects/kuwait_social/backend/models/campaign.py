from datetime import datetime

from extensions import db


class Campaign(db.Model):
    __tablename__ = 'campaigns'

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey('clients.id'), nullable=False)
    name = db.Column(db.String(200), nullable=False)
    objective = db.Column(db.Text)
    status = db.Column(db.String(20), default='planning')
    start_date = db.Column(db.DateTime)
    end_date = db.Column(db.DateTime)
    is_archived = db.Column(db.Boolean, default=False)
    created_at = db.Column(db.DateTime, default=datetime.utcnow)

    # Relationships
    client = db.relationship('Client', back_populates='campaigns')
    posts = db.relationship('Post', backref='campaign', lazy='dynamic')

    def __repr__(self):
        return f'<Campaign {self.name}>'
