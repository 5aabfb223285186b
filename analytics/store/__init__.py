"""Store stage: what a load keeps on disk so that a file is parsed once.

Takes the parsed-files table and the files' fingerprints (`file_stats`); gives them back on the
next load when nothing changed (`cache`: the parse cache, the folder listing and the saved
frames, each checked before use and rebuilt when damaged).
"""
