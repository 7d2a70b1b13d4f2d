"""Workbook files on disk: safety checks, locking, atomic writes and part-by-part package edits.

Used by the workbook layer (``book``) and the report reader (``reports``); imports only ``errors``.
"""
