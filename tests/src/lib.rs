//! Integration, agreement and UI tests of amplify-api (see `tests/`).
