#!/usr/bin/env node
// `node cli/harness.ts ...`, as the docs and scripts run the harness. The entry is cli/harness.mjs (the `harness`
// bin), which turns on Node's module compile cache and loads the dispatcher. This file being TypeScript, Node loads
// its type stripper for it before the cache can be on, which a cached start of the bin never does: about 130 ms
// more per launch (docs/performance.md, "CLI start").
import './harness.mjs';
