"""Names said right: the shop's lexicon of how names are said, and what each voice is given to say them."""
