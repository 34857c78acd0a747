"""What the content means: facets, related tips, agendas, follow-up — pure functions over data."""
