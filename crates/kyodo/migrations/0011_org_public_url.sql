-- The address an organization's users reach Kyodo at (e.g. https://kyodo.city.example.jp), for the
-- links in its mail. Empty: https://<hostname> when a host name is set, else KYODO_PUBLIC_URL.
ALTER TABLE organizations ADD COLUMN public_url TEXT NOT NULL DEFAULT '';
