"""Members, backup staffing reports (every version kept) and the service-break log."""
