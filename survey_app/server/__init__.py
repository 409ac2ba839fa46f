"""The shared disaster information server: FastAPI over SQLite (default) or PostgreSQL.

`create_app(settings)` (survey_app.server.app) builds the application; `survey-app serve` runs it
under uvicorn. The protocol it speaks is docs/sync-protocol.md.
"""
