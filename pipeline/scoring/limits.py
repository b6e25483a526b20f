"""How much one article may hold when scored: the defaults of --max-article-chars and
--max-sentence-chars (params `score` repeats them, checked by a test)."""

MAX_ARTICLE_CHARS = 200_000  # longer articles are rejected before they cost memory
MAX_SENTENCE_CHARS = 2_000  # longer "sentences" are cut at a space and flagged `cut`
