from datetime import datetime

from extensions import db


class Client(db.Model):
    __tablename__ = 'clients'

    id = db.Column(db.Integer, primary_key=True)
    owner_id = db.Column(db.Integer, db.ForeignKey('users.id'), nullable=False)
    business_name = db.Column(db.String(200), nullable=False)
    industry = db.Column(db.String(100))
    instagram_handle = db.Column(db.String(100))
    brand_voice = db.Column(db.Text)
    is_active = db.Column(db.Boolean, default=True)
    created_at = db.Column(db.DateTime, default=datetime.utcnow)

    # Relationships
    posts = db.relationship('Post', backref='client', lazy='dynamic')
    campaigns = db.relationship('Campaign', back_populates='client', lazy='dynamic')

    def __repr__(self):
        return f'<Client {self.business_name}>'
