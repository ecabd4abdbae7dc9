"""Our database backend (settings ENGINE ``core.db``): django-tenants' plus a per-schema
ContentType cache (see ``core.db.base``)."""
