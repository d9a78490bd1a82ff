"""Five-Star staffing rating (issue 6; not built yet)."""
