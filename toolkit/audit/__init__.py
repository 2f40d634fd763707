"""Quality audits (质量评查): sampling, cross-review assignment, review scoring, agreement, rectification.

Pure logic over :mod:`toolkit.audit.model`: no widgets, no database, no files.
"""
