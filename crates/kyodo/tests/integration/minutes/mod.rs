//! 会議録: importing minutes from the HQ's page (plain text and NDL JSON, checked whole, replaced on
//! re-import) and searching them with exact substring semantics, on both databases.

mod search;
