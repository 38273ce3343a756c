-- A speech's text is stored once, as written. Its normalised form (NFKC and case folding) was a
-- second copy read only to build the search index; the index now normalises as it reads, which
-- halves what an import writes (160 million characters for a 25-year archive).
ALTER TABLE minutes_speeches DROP COLUMN text_norm;
