"""What the content means on the build date: facets, related tips, agendas, follow-up, the URL scheme — pure
functions over data."""
