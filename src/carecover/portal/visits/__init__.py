"""EVV visit files → pre-filled drafts and service-break log entries.

A provider or EOR uploads a month of visit records (the generic layout or a
vendor's mapping, ``carecover.backup.visit_layout``); ``carecover.backup.visits``
finds the interruptions; ``detection`` stores them against the uploader's own
members; ``creation`` turns failures into pre-filled drafts (through
``incidents.filing``, so every filing rule applies) and breaks into log
entries. Nothing is ever attached to another organisation's member.
"""
