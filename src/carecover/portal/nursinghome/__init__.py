"""The nursing-home workspace (issue 6, §5): facilities, uploads, the facility page.

Facility users (administrator, DON, MDS coordinator) see their own
facilities; chain (corporate) users see every facility of their chain. Each
facility's PBJ and MDS data live in its own DuckDB store (``stores``); the
relational database keeps the facilities, who uploaded what and each upload's
validation report.
"""
