/**
 * Links are a checked type. Text from event files and users reaches Slack, Discord, calendars and the page;
 * on Slack a "URL" of `!channel` inside `<…|label>` is a live @channel, and elsewhere `javascript:` runs code.
 * So a URL that may be put into link syntax is a SafeUrl, and safeUrl() below is the only way to make one:
 * http:, https: and mailto: pass, site paths resolve against the community website, everything else is
 * refused and stays plain text.
 */
declare const checked: unique symbol;
export type SafeUrl = string & { readonly [checked]: true };

const SCHEMES = new Set(['http:', 'https:', 'mailto:']);
/** A path on the community website: "/slides/x.pdf", "./x", "../x" or "slides/x.pdf" (a first segment, then a slash). */
const SITE_PATH = /^(?:\/(?!\/)|\.{1,2}\/|[\w.~-]+\/)/;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
/** One address: an RFC 5322 dot-atom local part, @, a dotted domain; nothing that could smuggle markup. */
const MAILTO_BODY = /^[\w.!#$%&*+/=?^{}~-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+(?:\?[^\s<>"'`|\\]*)?$/u;
const URL_MAX = 2000;

/**
 * The URL as a SafeUrl, normalised by the WHATWG parser (which percent-encodes spaces, quotes and angle
 * brackets), or undefined when it is not an http(s)/mailto URL or a site path with a website to resolve it.
 * URLs with a user name or password are refused: `https://muc.sre.xyz@evil.example` is a spoof.
 */
export function safeUrl(raw: string | undefined, website?: string): SafeUrl | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (text === '' || text.length > URL_MAX) return undefined;
  let url: URL;
  try {
    if (HAS_SCHEME.test(text)) url = new URL(text);
    else if (text.startsWith('//')) url = new URL(`https:${text}`);
    else if (/^www\.[\w-]+\./i.test(text)) url = new URL(`https://${text}`);
    else if (SITE_PATH.test(text) && website) url = new URL(text, `${new URL(website).href.replace(/\/*$/, '')}/`);
    else return undefined;
  } catch {
    return undefined;
  }
  if (!SCHEMES.has(url.protocol)) return undefined;
  if (url.protocol === 'mailto:') return MAILTO_BODY.test(decoded(url.pathname) + url.search) ? (url.href as SafeUrl) : undefined;
  if (!url.hostname || url.username || url.password) return undefined;
  // After the host, characters that chats read as markup are percent-encoded (the same address to a server):
  // `/@everyone` can then never read as a broadcast, nor a backtick, pipe or bracket end a link early.
  const rest = (url.pathname + url.search + url.hash).replace(/[`|[\]']|@(?=everyone|here|channel)/gi, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${url.protocol}//${url.host}${rest}` as SafeUrl;
}

/** Percent-decoding that never throws: a malformed `%` sequence stays as written. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The host a reader really lands on: "youtube.com" for https://www.youtube.com/x, the domain of a mailto address. */
export function targetHost(url: SafeUrl): string {
  if (url.startsWith('mailto:')) {
    const address = decoded(url.slice('mailto:'.length).split('?')[0]!);
    return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  }
  return new URL(url).hostname.replace(/^www\./, '');
}

/** "paypal.com", "https://evil.example/x", "www.x.org": labels that a reader takes for the link's destination. */
const HOST_LIKE = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^\s/@]+@)?((?:[\p{L}\p{N}-]+\.)+[\p{L}]{2,}|\d{1,3}(?:\.\d{1,3}){3})\.?(?::\d+)?(?:[/?#]\S*)?$/iu;

/**
 * What a link shows. A label that looks like a host name other than the target's shows the target's host
 * instead (a label "paypal.com" on a link to evil.example reads "evil.example"); an empty label shows the
 * address without its scheme.
 */
export function linkLabel(label: string, url: SafeUrl): string {
  const text = label.trim();
  if (text === '') return url.startsWith('mailto:') ? decoded(url.slice(7).split('?')[0]!) : url.replace(/^https?:\/\//, '').replace(/\/$/, '');
  const host = labelHost(text);
  if (host === undefined) return text;
  const target = targetHost(url);
  return host === target || host.endsWith(`.${target}`) || target.endsWith(`.${host}`) ? text : target;
}

function labelHost(label: string): string | undefined {
  const m = HOST_LIKE.exec(label.replace(/^[<(]+|[>).,;:!?]+$/g, ''));
  if (!m) return undefined;
  try {
    return new URL(`http://${m[1]}`).hostname.replace(/^www\./, '');
  } catch {
    return m[1]!.toLowerCase().replace(/^www\./, '');
  }
}

/** Bare http(s) URLs in running text ("slides at https://x.io/a."), without the sentence's closing punctuation. */
const BARE_URL = /\bhttps?:\/\/[^\s<>"'`[\]]+[^\s<>"'`[\].,:;)!?*_~|]/gi;

/**
 * Running text split into text and the bare URLs in it that pass safeUrl(): renderers link those
 * explicitly and treat everything else as inert text (so a URL never loses characters to escaping).
 * `url` is what may go into link syntax: the URL as written when it is already in normal form (give or take
 * the slash after a bare host), else the normalised one.
 */
export function splitBareUrls(text: string): (string | { url: SafeUrl })[] {
  if (!text.includes('://')) return text === '' ? [] : [text];
  const out: (string | { url: SafeUrl })[] = [];
  let last = 0;
  for (const match of text.matchAll(BARE_URL)) {
    const url = safeUrl(match[0]);
    if (!url) continue;
    if (match.index > last) out.push(text.slice(last, match.index));
    out.push({ url: url === match[0] || url === `${match[0]}/` ? (match[0] as SafeUrl) : url });
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
