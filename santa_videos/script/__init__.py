"""What Santa says: the script of an order (lines.py), the phrasings it picks from (phrases.py), the catalog of
achievements and wishes (catalog.py) and the framing of the parent's own words (mentions.py)."""
