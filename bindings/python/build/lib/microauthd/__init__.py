"""microauthd client bindings (standard library only)."""
from .admin_client import AdminClient
from .auth_client import AuthClient
from .models import MadApiError

__all__ = ["AdminClient", "AuthClient", "MadApiError"]
__version__ = "0.9.0"
