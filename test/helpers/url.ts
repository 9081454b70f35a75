import { safeUrl, type SafeUrl } from '../../src/catalogue/safe-url';

/** A URL literal in a test, checked like every URL in the product (a typo in a test URL fails loudly). */
export function url(text: string): SafeUrl {
  const checked = safeUrl(text);
  if (!checked) throw new Error(`not an http(s)/mailto URL: ${text}`);
  return checked;
}
