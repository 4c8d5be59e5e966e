"""Ingest: files, directories, JSONL/CSV rows and standard input to Articles (or recorded skips)."""
from eventwire.ingest.readers import IngestResult, make_article, read_inputs, read_path
from eventwire.ingest.checks import check_article

__all__ = ["IngestResult", "make_article", "read_inputs", "read_path", "check_article"]
