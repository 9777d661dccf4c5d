#!/usr/bin/env bash
# rustdoc with `RUSTC_BOOTSTRAP=1`, for the docs.rs check in `.ci/run` only: `--cfg docsrs`
# turns on `#![feature(doc_cfg)]` (the feature badges), which is unstable; docs.rs builds with
# nightly. Set as `RUSTDOC`, so rustc (and the dependencies' build scripts) never see it.
RUSTC_BOOTSTRAP=1 exec rustdoc "$@"
