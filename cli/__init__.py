"""The headless command-line interface (no Qt): automation, tests, the auditor's tools."""
