"""Who may use the analyst workspace: users with the ``analyst`` role, nobody else.

The workspace shows public CMS files only (no organisation's own data), so
an analyst needs no organisation; every other role gets 403.
"""

from __future__ import annotations

from carecover.portal.accounts.access import portal_user, requiring
from carecover.portal.accounts.models import Role

__all__ = ["analyst_user", "portal_user"]

#: Signed in with the ``analyst`` role.
analyst_user = requiring(lambda user: user.role == Role.ANALYST)
