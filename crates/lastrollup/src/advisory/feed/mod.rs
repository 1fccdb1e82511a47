//! Feed parsers: each reads one kind of document into a [`FeedDocument`].

#[allow(unused_imports)]
use super::FeedDocument;
