//! Capturing the `amplify_api.request` spans a body opens, with every recorded field.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// One span's fields, by name.
pub type Fields = BTreeMap<String, String>;

/// Every `amplify_api.request` span's fields, in the order the spans were opened.
#[derive(Clone, Default)]
pub struct Spans(Arc<Mutex<Vec<(u64, Fields)>>>);

struct Visitor<'a>(&'a mut Fields);

impl Visit for Visitor<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl<S: tracing::Subscriber> Layer<S> for Spans {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
        if attrs.metadata().name() != "amplify_api.request" {
            return;
        }
        let mut fields = Fields::new();
        attrs.record(&mut Visitor(&mut fields));
        self.0.lock().unwrap().push((id.into_u64(), fields));
    }
    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        let mut spans = self.0.lock().unwrap();
        if let Some((_, fields)) = spans.iter_mut().find(|(i, _)| *i == id.into_u64()) {
            values.record(&mut Visitor(fields));
        }
    }
}

/// Runs `body` on a runtime of its own with the capturing subscriber; the request spans.
pub fn spans<F: Future<Output = ()>>(body: impl FnOnce() -> F) -> Vec<Fields> {
    // See `resilience.rs::traced`: a global no-op registry keeps every callsite enabled.
    let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry());
    let captured = Spans::default();
    let subscriber = tracing_subscriber::registry().with(captured.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tracing::subscriber::with_default(subscriber, || runtime.block_on(body()));
    let spans = captured.0.lock().unwrap();
    spans.iter().map(|(_, f)| f.clone()).collect()
}
