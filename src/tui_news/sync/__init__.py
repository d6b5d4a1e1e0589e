"""Sync with a feed server: one module per protocol (fever.py) behind one small interface
(client.py), the exchange itself in engine.py. Nothing here imports Textual."""
