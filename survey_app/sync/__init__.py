"""The sync protocol, Qt-free and store-free: wire constants, the 3-way merge, and the HTTP
client a laptop uses to talk to the shared server (docs/sync-protocol.md is the spec).

The engine that connects this client to a laptop's store is survey_app.services.sync.
"""
