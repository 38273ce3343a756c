-- Failed sign-ins per account and client address. Repeated failures from one address delay that
-- address's next attempts on that account, growing with each failure; they no longer lock the
-- account for everyone (five requests from anywhere used to lock out the administrator).
-- users.failed_logins / locked_until now count failures from every address and delay the account
-- as a whole only after many more (a guess spread over many addresses).
CREATE TABLE login_delays (
    organization_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    address TEXT NOT NULL,
    failures BIGINT NOT NULL,
    delayed_until TEXT NOT NULL,
    PRIMARY KEY (organization_id, user_id, address)
);
