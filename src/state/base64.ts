/**
 * Base64 for binary data in text: model bundles (standard alphabet) and link fragments (the URL-safe alphabet of
 * RFC 4648 §5, no padding). The platform's `btoa`/`atob` do the work; bytes go through them in 32 KiB chunks,
 * because `String.fromCharCode(...bytes)` over a whole weights file overflows the call stack.
 */

/** Standard base64 of `bytes` (RFC 4648 §4, with padding). */
export function toBase64(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (let k = 0; k < view.length; k += 0x8000) binary += String.fromCharCode(...view.subarray(k, k + 0x8000));
  return btoa(binary);
}

/**
 * The bytes of standard or URL-safe base64 text (padding optional).
 * @throws Error (`name` 'Base64Error') when the text is not base64.
 */
export function fromBase64(text: string): Uint8Array {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  let binary: string;
  try {
    binary = atob(standard + '='.repeat((4 - (standard.length % 4)) % 4));
  } catch {
    const err = new Error('not valid base64');
    err.name = 'Base64Error';
    throw err;
  }
  const out = new Uint8Array(binary.length);
  for (let k = 0; k < binary.length; k++) out[k] = binary.charCodeAt(k);
  return out;
}

/** URL-safe base64 of `bytes` without padding (RFC 4648 §5), for a link's fragment. */
export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
