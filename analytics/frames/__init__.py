"""Frames stage: the parsed-files table becomes the tidy pandas frames every view works on.

Takes the read and stored rows; gives the `Corpus` (`corpus.load_corpus`: articles, topics,
related, images and problems, with duplicates set aside by `flatten`), the keys that tie child
rows to their articles (`keys`), the folder fingerprint (`fingerprint`), the stories articles
belong to (`titles`, `stories`) and the `Workspace` (a corpus with its stories and notes).
"""
