"""Reading the content: the data model, the front-matter schema, the vocabulary and the loader."""
