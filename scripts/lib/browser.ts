/** The browser the e2e tests and the Node tools drive: Debian's Chromium (or $CHROMIUM_PATH) with the flags a closed network needs. */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Quiet on a closed network (else it floods it with refused connections), with WebGPU enabled (SwiftShader here). */
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
