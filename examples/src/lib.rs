//! Runnable examples of amplify-api; see `examples/`.
