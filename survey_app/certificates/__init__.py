"""Certificates as PDF: the unified national layout, embedded Japanese fonts, QR, batches.

Qt-free and store-free: the services turn register entries into `CertificateDoc`s and hand
them to `CertificateRenderer`.
"""
