"""Assembling events from the mentions extracted: merging mentions into events, attaching the counts
claimed, and coding each event (dates, place, the crosswalks to ACLED and CAMEO, confidence)."""
