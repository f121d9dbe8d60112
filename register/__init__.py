"""The auditor's register: every vendor's verified submissions in one database.

One code path, two engines (SQLAlchemy 2.0): a SQLite file in the user data folder for one
auditor, or a shared PostgreSQL (``postgresql+psycopg://…``) for an audit team. The schema is
kept by Alembic (register/migrations), separate from the vendor workspace's.

What it holds: vendors and their signing keys (with history), submissions (ID, export time,
signer, template version and SHA-256, the link to the vendor's previous submission, the
auditor's own recomputed completeness and verification result), one review row per item
(the recomputed outcome, the auditor's verdict and finding, a version for optimistic
concurrency) with every change kept in an append-only trail, corrective actions, and the
*metadata* of evidence (kind, issuer, number, expiry, SHA-256). Never decrypted evidence
contents: the bundle files go, still age-encrypted, into a content-addressed folder
(register/store.py) and are opened on demand with the auditor's identity.

Importable without PySide6; the desktop's 登録簿 is in desktop/.
"""
