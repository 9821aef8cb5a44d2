"""Incremental builds: redo only the work an edit made necessary.

The clean build is the reference: every shortcut here must produce the same
files (tests compare byte for byte). Each module caches one stage of the
pipeline and falls back to the plain stage whenever a shortcut could differ:

* :mod:`.bibchunks` reads a BibTeX file entry by entry, re-reading changed entries only;
* :mod:`.papers` builds papers entry by entry from those records;
* :mod:`.assembler` patches the assembled site when only papers changed;
* :mod:`.deps` fingerprints every output file by the inputs it shows;
* :mod:`.engine` runs the stages and writes only the files whose fingerprint changed.
"""
