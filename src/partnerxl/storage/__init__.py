"""Keeping files safe: opening a workbook file safely, atomic writes, safe names, worker processes and the
crash log. Nothing here knows what a document looks like."""
