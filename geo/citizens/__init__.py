"""The citizens' channel (群众自主上报): public reports and their follow-up, partner API keys.

``tokens`` makes and hashes the secrets handed out (follow-up tokens, API keys); ``reports``
links a case to its channel and reads what the public may see; ``apikeys`` issues, lists and
revokes the partners' Open311 keys; ``challenge_store`` records the challenge tickets already
tried, for every server process.
"""
