"""Bundle, checklist (xlsx) and report (PDF) exports. No Qt."""
