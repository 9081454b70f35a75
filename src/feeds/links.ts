/** Paths the feed server answers; links and routes are built from the same strings so they cannot drift. */
export const FEED_PATHS = {
  page: '/',
  calendar: '/calendar.ics',
  talks: '/talks.ics',
  eventPrefix: '/events/',
  eventSuffix: '.ics',
} as const;

/** One event's talks or sessions: the talks feed filtered by event. */
export function eventTalksPath(id: string): string {
  return `${FEED_PATHS.talks}?event=${encodeURIComponent(id)}`;
}

export function eventFeedPath(id: string): string {
  return `${FEED_PATHS.eventPrefix}${encodeURIComponent(id)}${FEED_PATHS.eventSuffix}`;
}

/**
 * The base without trailing slashes, so "https://x/" and "https://x" give the same links. Parsed as a URL
 * because the parser drops tabs and line breaks, which would otherwise travel into ICS properties and HTML.
 */
function base(publicUrl: string): string {
  let normalized = publicUrl.replace(/[\t\r\n]/g, '').trim();
  try {
    normalized = new URL(normalized).href;
  } catch {
    // not absolute: keep it as configured
  }
  return normalized.replace(/\/+$/, '');
}

/** webcal:// is what makes Apple Calendar and Thunderbird offer "subscribe" instead of a one-off import. */
export function webcalUrl(httpUrl: string): string {
  return httpUrl.replace(/^https?:\/\//i, 'webcal://');
}

/** Google Calendar's "add by URL" takes the webcal form in `cid` and subscribes to it. */
export function googleAddUrl(feedUrl: string): string {
  return `https://calendar.google.com/calendar/r?cid=${encodeURIComponent(webcalUrl(feedUrl))}`;
}

/** Where members find the calendars: what chat answers, posts and the page link to. */
export interface FeedLinks {
  /** https(s) URL of the whole calendar. */
  calendar: string;
  /** webcal:// form of the same, for Apple Calendar / Thunderbird one-click subscribe. */
  webcal: string;
  /** Google Calendar "add by URL" link. */
  google: string;
  /** The subscribe page. */
  page: string;
  event(id: string): string;
  /** One event's talks or sessions (a conference's programme), one calendar entry each. */
  talks(id: string): string;
}

export function feedLinks(publicUrl: string): FeedLinks {
  const root = base(publicUrl);
  const calendar = `${root}${FEED_PATHS.calendar}`;
  return {
    calendar,
    webcal: webcalUrl(calendar),
    google: googleAddUrl(calendar),
    page: `${root}${FEED_PATHS.page}`,
    event: (id) => `${root}${eventFeedPath(id)}`,
    talks: (id) => `${root}${eventTalksPath(id)}`,
  };
}

/** The talks feed (one entry per talk) with its subscribe forms. */
export function talksFeedLinks(publicUrl: string): { calendar: string; webcal: string; google: string } {
  const calendar = `${base(publicUrl)}${FEED_PATHS.talks}`;
  return { calendar, webcal: webcalUrl(calendar), google: googleAddUrl(calendar) };
}

/** A contact that is one plain mail address, safe to put after mailto: (no spaces, quotes, brackets, breaks). */
export function isPlainAddress(contact: string): boolean {
  return /^[^\s@<>"',;:\\()[\]]+@[^\s@<>"',;:\\()[\]]+$/.test(contact);
}
