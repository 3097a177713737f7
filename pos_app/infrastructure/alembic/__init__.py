"""The store's Alembic history: `env.py` and `versions/`, one history for SQLite and PostgreSQL.

The app runs it itself (`infrastructure/migrations.upgrade_store`, on every start and by `pos-app migrate`) on the
connection that holds its write transaction; no alembic.ini is needed. Adding a revision: docs/STORE.md.
"""
