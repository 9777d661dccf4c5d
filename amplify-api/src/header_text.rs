//! [`HeaderText`]: what [`RequestBuilder::header`](crate::RequestBuilder::header) takes as a
//! name or a value, text or the typed `http` header types, as `reqwest` users write them.

use std::borrow::Cow;

use http::{HeaderName, HeaderValue};

/// A header name or value for [`RequestBuilder::header`](crate::RequestBuilder::header):
/// text (`&str`, `String`, `Cow<str>`, `Box<str>`) or the typed [`http::HeaderName`] and
/// [`http::HeaderValue`] (a value marked sensitive stays so), or a reference to any of them.
pub trait HeaderText {
    /// The text, or `None` for a `HeaderValue` that is not visible ASCII.
    fn header_text(&self) -> Option<&str>;

    /// Whether the value is marked sensitive (a `HeaderValue` with `set_sensitive(true)`).
    fn is_sensitive(&self) -> bool {
        false
    }
}

impl HeaderText for str {
    fn header_text(&self) -> Option<&str> {
        Some(self)
    }
}

impl HeaderText for String {
    fn header_text(&self) -> Option<&str> {
        Some(self)
    }
}

impl HeaderText for Cow<'_, str> {
    fn header_text(&self) -> Option<&str> {
        Some(self)
    }
}

impl HeaderText for Box<str> {
    fn header_text(&self) -> Option<&str> {
        Some(self)
    }
}

impl HeaderText for HeaderName {
    fn header_text(&self) -> Option<&str> {
        Some(self.as_str())
    }
}

impl HeaderText for HeaderValue {
    fn header_text(&self) -> Option<&str> {
        self.to_str().ok()
    }

    fn is_sensitive(&self) -> bool {
        HeaderValue::is_sensitive(self)
    }
}

impl<T: HeaderText + ?Sized> HeaderText for &T {
    fn header_text(&self) -> Option<&str> {
        (**self).header_text()
    }

    fn is_sensitive(&self) -> bool {
        (**self).is_sensitive()
    }
}
