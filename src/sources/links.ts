import type { Link } from '../catalogue/event';
import type { CommunitySettings } from '../catalogue/settings';

/** The event's page on the community website, from settings.eventUrlTemplate ("{website}/posts/{id}/"). */
export function eventUrl(settings: CommunitySettings, id: string): string | undefined {
  const template = settings.eventUrlTemplate;
  if (!template) return undefined;
  if (template.includes('{website}') && !settings.website) return undefined;
  return template.replace(/\{website\}/g, (settings.website ?? '').replace(/\/+$/, '')).replace(/\{id\}/g, encodeURIComponent(id));
}

/**
 * Site-relative links ("/slides/2024_07/clickhouse.pdf") become absolute on the community website, so chat
 * messages and calendars can open them; a label that is only a path or URL gives way to a readable one.
 */
export function resolveLink(link: Link, settings: CommunitySettings, fallbackLabel: string): Link {
  const url = absoluteUrl(link.url, settings.website);
  const label = link.label.trim();
  const unreadable = label === '' || /^(?:\/|https?:|www\.)/i.test(label) || /\.(?:pdf|pptx?|key|html?)$/i.test(label);
  return { label: unreadable ? fallbackLabel : label, url };
}

export function absoluteUrl(url: string, website: string | undefined): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
  if (url.startsWith('//')) return `https:${url}`;
  if (url.startsWith('/') && website) return `${website.replace(/\/+$/, '')}${url}`;
  return url;
}
