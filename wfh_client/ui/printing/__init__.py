"""Printable forms: the process-control slip (Mẫu 05) and the apology slip (Mẫu 04), A5.

:mod:`.slips` builds their HTML (pure functions of the dossier document, translated with Qt);
:mod:`.output` renders that HTML with one ``QTextDocument`` to a printer, a PDF file or an
image, so print, PDF and screenshots share one rendering.
"""
