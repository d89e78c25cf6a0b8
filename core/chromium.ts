// Chromium's flags for every browser the harness starts (the E2E suites' Playwright config and the load tool's
// browser scenario): the network is closed on CI machines, so Chromium must not reach for outside hosts on its
// own (background fetches, component and sync updates, the first-run page, QUIC).
export const OFFLINE_CHROMIUM_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
