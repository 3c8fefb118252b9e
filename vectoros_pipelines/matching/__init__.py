"""Matching messages and meetings to deals: evidence, thread linking, company and product checks,
duplicate detection. Pure logic except `service`, which reads and writes the warehouse."""
