//! Retries, in one place: [`policy`] says when a failed attempt is tried again and after how
//! long (the policy, the retry budget, what an answer or a transport error says about trying
//! again, `Retry-After`), and [`run`] is the one retry loop of the send path that applies it.

pub(crate) mod policy;
pub(crate) mod run;
