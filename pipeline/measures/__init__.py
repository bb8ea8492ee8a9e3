"""One small pure function per measure of measures.md, each returning a tidy frame."""
