"""Reports: one plain data model built from an assessment, rendered as HTML, Markdown and PDF."""
