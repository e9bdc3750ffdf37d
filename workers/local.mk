# workers/: one file (or folder) per worker kind.
