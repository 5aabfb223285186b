"""Read stage: files on disk (or uploaded) become validated rows, one per file.

Takes folders, files and uploads; finds the documents (`ingest`), decodes them and reads their
front matter within limits (`safe_yaml`, `fast_yaml`), checks and repairs each field
(`validate`, `urls`), and parses many files at once (`parse`), giving the parsed-files table:
one row per file with its fingerprint, its values and its problems. Editors' notes files
(`annotations`) and uploads (`uploads`) are read here too. Nothing here raises for a bad file.
"""
