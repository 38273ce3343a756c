-- Whether a speech's text is its own normalised form character by character (most Japanese
-- prose): then a term's place in the text is its place in the index, and a search page reads only
-- a window around each hit's first occurrence instead of the whole speech (up to ~27,000
-- characters). Rows written before this column are 0: read whole, as before, until imported again.
ALTER TABLE minutes_speeches ADD COLUMN text_plain BIGINT NOT NULL DEFAULT 0;
