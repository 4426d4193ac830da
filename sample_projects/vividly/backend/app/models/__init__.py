from app.models.organization import Organization
from app.models.user import User, UserRole, UserStatus
from app.models.session import Session
from app.models.class_model import Class
from app.models.class_student import ClassStudent
from app.models.feature_flag import FeatureFlag

__all__ = [
    "Organization",
    "User",
    "UserRole",
    "UserStatus",
    "Session",
    "Class",
    "ClassStudent",
    "FeatureFlag",
]
