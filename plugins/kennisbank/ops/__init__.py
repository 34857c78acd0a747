"""Operations at the edges: the command line, publishing, scaffolding, reports and the import commands."""
