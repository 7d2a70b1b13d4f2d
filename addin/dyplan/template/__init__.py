"""The template and the finished plan: a planning workbook rendered from outputs (XlsxWriter), and
its macro-enabled twin with the ribbon and VBA project."""
