from datetime import datetime

from extensions import db


class Post(db.Model):
    __tablename__ = 'posts'

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey('users.id'), nullable=False)
    client_id = db.Column(db.Integer, db.ForeignKey('clients.id'))
    content_en = db.Column(db.Text)
    content_ar = db.Column(db.Text)
    hashtags = db.Column(db.Text)
    platform = db.Column(db.String(50), default='instagram')
    status = db.Column(db.String(20), default='draft')
    scheduled_time = db.Column(db.DateTime)
    published_at = db.Column(db.DateTime)
    is_ai_generated = db.Column(db.Boolean, default=True)
    created_at = db.Column(db.DateTime, default=datetime.utcnow)

    # Relationships
    author = db.relationship('User', back_populates='posts')

    def __repr__(self):
        return f'<Post {self.id} ({self.status})>'
