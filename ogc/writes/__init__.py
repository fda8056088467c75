"""The write API: OGC API - Features - Part 4 (Create, Replace, Update, Delete).

POST on ``/collections/{id}/items``; PUT, PATCH and DELETE on
``/collections/{id}/items/{featureId}``, for the layers in ``WRITABLE``
(facilities and project sites, the agency-owned data); plus a feature's
history and the restore of a version. Modules, in the order a request meets
them:

- ``access``: who is writing (bearer token or session + CSRF), 401/403;
- ``body``: media type, size limit, strict JSON (415, 413, 400);
- ``etags``: the version of a row, ETags, ``If-Match`` (412, 428);
- ``validation``: the Feature through the import's rules (422 naming the property);
- ``operations``: agency rules, workflow, history, in one transaction;
- ``views``: the HTTP methods of each route; ``openapi``: their description.
"""

#: Collections that accept writes: agency-owned rows with a publication workflow.
WRITABLE = frozenset({"facilities", "projects"})
