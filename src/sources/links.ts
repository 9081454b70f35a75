import type { Link } from '../catalogue/event';
import { safeUrl, type SafeUrl } from '../catalogue/safe-url';
import type { CommunitySettings } from '../catalogue/settings';

/** The event's page on the community website, from settings.eventUrlTemplate ("{website}/posts/{id}/"). */
export function eventUrl(settings: CommunitySettings, id: string): SafeUrl | undefined {
  const template = settings.eventUrlTemplate;
  if (!template) return undefined;
  if (template.includes('{website}') && !settings.website) return undefined;
  return safeUrl(template.replace(/\{website\}/g, (settings.website ?? '').replace(/\/+$/, '')).replace(/\{id\}/g, encodeURIComponent(id)), settings.website);
}

/** A link as written in an event file, before its URL is checked. */
export interface RawLink {
  label: string;
  url: string;
}

/**
 * Site-relative links ("/slides/2024_07/clickhouse.pdf") become absolute on the community website, so chat
 * messages and calendars can open them; a label that is only a path or URL gives way to a readable one.
 * A target that is not an http(s)/mailto URL or a site path (`!channel`, `javascript:…`) is no link at all:
 * undefined, and the event keeps no trace of it.
 */
export function resolveLink(link: RawLink, settings: CommunitySettings, fallbackLabel: string, page?: string): Link | undefined {
  const url = safeUrl(pageRelative(link.url, page) ?? link.url, settings.website);
  if (!url) return undefined;
  const label = link.label.trim();
  const unreadable = label === '' || /^(?:\/|https?:|www\.)/i.test(label) || /\.(?:pdf|pptx?|key|html?)$/i.test(label);
  return { label: unreadable ? fallbackLabel : label, url };
}

/**
 * `slides/x.pdf` and `./x.pdf` in a post are relative to its page, as the browser reads them there
 * (`/posts/<id>/slides/x.pdf`); `/slides/x.pdf` is a site path and stays one.
 */
function pageRelative(url: string, page: string | undefined): string | undefined {
  const text = url.trim();
  if (!page || text.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(text) || /^www\.[\w-]+\./i.test(text) || !/^(?:\.{1,2}\/|[\w.~-]+\/)/.test(text)) return undefined;
  try {
    return new URL(text, page).href;
  } catch {
    return undefined;
  }
}
