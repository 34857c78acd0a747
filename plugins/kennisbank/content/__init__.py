"""Reading the content: the data model, the document kinds, the front-matter schema, the vocabulary, and the
positioned problems every later stage reports in."""
