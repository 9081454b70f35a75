import { createHash } from 'node:crypto';
import type { DateTime } from 'luxon';
import type { Catalogue } from '../catalogue/catalogue';
import type { Link, MeetupEvent } from '../catalogue/event';
import type { CommunitySettings } from '../catalogue/settings';
import { safeUrl } from '../catalogue/safe-url';
import { isUndatedHistory } from '../catalogue/undated';
import { feedLinks, isPlainAddress, talksFeedLinks, type FeedLinks } from './links';

export interface SubscribePageInput {
  catalogue: Catalogue;
  settings: CommunitySettings;
  publicUrl: string;
  now: DateTime;
  /** "23 going, 4 on the waitlist" for a meetup that takes RSVPs in chat (src/rsvp), shown under its date. */
  rsvpCounts?: (event: MeetupEvent) => string | undefined;
}

export interface SubscribePage {
  html: string;
  /** When the page goes stale: the first listed meetup ends and must leave "upcoming". */
  validUntil?: DateTime;
}

/** At most this many upcoming and this many past meetups on the page; the calendar has them all. */
const MAX_LISTED = 10;

const STYLE = `
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:46rem;margin:0 auto;padding:1.5rem;color:#1d1d1f;background:#fff}
h1{font-size:1.8rem;margin:.2rem 0 1rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
.buttons{display:flex;flex-wrap:wrap;gap:.5rem;margin:.8rem 0}
.button{display:inline-block;padding:.5rem .9rem;border-radius:.4rem;background:#0b57d0;color:#fff;text-decoration:none;font-weight:600}
.button.secondary{background:#e8eef9;color:#0b57d0}
.copy{display:flex;gap:.4rem}.copy input{flex:1;min-width:0;padding:.4rem;font:inherit;font-size:.9rem}
.copy button{padding:.4rem .8rem;font:inherit;cursor:pointer}
.meetups{list-style:none;padding:0}.meetups li{margin:0 0 1.2rem}.meetups h3{margin:0;font-size:1.1rem}
.meta{color:#555}.hint{color:#555;font-size:.9rem}a{color:#0b57d0}.cancelled{color:#a50e0e;font-weight:600}
@media (prefers-color-scheme:dark){body{background:#111;color:#eee}.meta,.hint{color:#aaa}a{color:#8ab4f8}.button{color:#fff}.button.secondary{background:#223;color:#9bf}.cancelled{color:#f28b82}}
`.trim();

/** The only script: reveals the copy buttons and copies on click. Everything else works without JavaScript. */
const SCRIPT = `
document.querySelectorAll('button[data-copy]').forEach(function (button) {
  button.hidden = false;
  button.addEventListener('click', function () {
    var input = document.getElementById(button.getAttribute('data-copy'));
    input.select();
    var done = function () { button.textContent = 'Copied'; };
    if (navigator.clipboard) navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand('copy'); done(); });
    else { document.execCommand('copy'); done(); }
  });
});
`.trim();

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** Content-Security-Policy for the page: nothing but its own inline style and script runs. */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src ${sha256(STYLE)}`,
  `script-src ${sha256(SCRIPT)}`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The subscribe page at `/`: how to get the calendar into any app, and what is coming up. */
export function renderSubscribePage({ catalogue, settings, publicUrl, now, rsvpCounts }: SubscribePageInput): SubscribePage {
  const links = feedLinks(publicUrl);
  // Links only through safeUrl, like every chat message: no javascript:, no https://trusted@evil.example.
  const website = safeUrl(settings.website);
  const talks = talksFeedLinks(publicUrl);
  // Cancelled meetups stay listed, marked: a member who saved the date must learn it is off.
  const upcoming = catalogue.events.filter((e) => e.end > now).slice(0, MAX_LISTED);
  const past = catalogue.past(now).filter((e) => e.status !== 'cancelled').slice(0, MAX_LISTED);
  const name = escapeHtml(settings.name);
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${name} calendar</title>
<link rel="alternate" type="text/calendar" title="${name}" href="${escapeHtml(links.calendar)}">
<style>${STYLE}</style>
</head>
<body>
<h1>${name} calendar</h1>
<p>Every ${name} meetup in your calendar app, kept up to date: new dates, changed agendas and cancellations arrive by themselves.</p>
<section aria-labelledby="subscribe">
<h2 id="subscribe">Subscribe</h2>
${subscribeBlock('calendar', links)}
<p class="hint">Want a reminder? Add <code>?alarm=60</code> to the address for one 60 minutes before each meetup
(any number of minutes up to 10080), e.g. <a href="${escapeHtml(`${links.webcal}?alarm=60`)}">subscribe with a one-hour reminder</a>.
Google Calendar ignores reminders in subscribed calendars.</p>
<h3>Talks only</h3>
<p>One entry per talk, with speakers and abstracts.</p>
${subscribeBlock('talks', talks)}
</section>
<section aria-labelledby="upcoming">
<h2 id="upcoming">Upcoming meetups</h2>
${upcoming.length > 0 ? `<ul class="meetups">\n${upcoming.map((e) => meetupItem(e, settings, links, now, rsvpCounts?.(e))).join('\n')}\n</ul>` : `<p>No upcoming meetup is announced yet. Subscribe, and the next one shows up in your calendar as soon as it is.</p>`}
</section>
${past.length > 0 ? `<section aria-labelledby="past">
<h2 id="past">Past meetups</h2>
<ul class="meetups past">\n${past.map((e) => meetupItem(e, settings, links, now)).join('\n')}\n</ul>
</section>` : ''}
<footer>
<p class="hint">Questions, ideas, a talk to give? Write to ${isPlainAddress(settings.contact) ? `<a href="mailto:${escapeHtml(settings.contact)}">${escapeHtml(settings.contact)}</a>` : escapeHtml(settings.contact)}${website ? ` or visit <a href="${escapeHtml(website)}">${escapeHtml(settings.website!)}</a>` : ''}. ${escapeHtml(settings.hashtag)}</p>
</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
  return { html, validUntil: upcoming[0]?.end };
}

function subscribeBlock(key: string, links: { calendar: string; webcal: string; google: string }): string {
  const inputId = `${key}-url`;
  return `<div class="buttons">
<a class="button" data-feed="${key}-webcal" href="${escapeHtml(links.webcal)}">Subscribe (Apple, Outlook, Thunderbird)</a>
<a class="button secondary" data-feed="${key}-google" href="${escapeHtml(links.google)}">Add to Google Calendar</a>
<a class="button secondary" data-feed="${key}-https" href="${escapeHtml(links.calendar)}">Download .ics</a>
</div>
<p class="hint"><label for="${inputId}">Calendar address for other apps:</label></p>
<div class="copy">
<input id="${inputId}" type="text" readonly value="${escapeHtml(links.calendar)}">
<button type="button" data-copy="${inputId}" hidden>Copy</button>
</div>`;
}

function meetupItem(event: MeetupEvent, settings: CommunitySettings, links: FeedLinks, now: DateTime, counts?: string): string {
  const icsUrl = links.event(event.id);
  // The feeds carry no entry for a meetup without its date (it would be a guessed date).
  const calendarLink = event.dateToBeConfirmed ? 'No calendar entry until the date is set' : `<a href="${escapeHtml(icsUrl)}" data-ics="${escapeHtml(event.id)}">Add to calendar (.ics)</a>`;
  // A multi-day programme also has a feed with one entry per session.
  const programme = event.sessions?.length ? ` · <a href="${escapeHtml(links.talks(event.id))}" data-programme="${escapeHtml(event.id)}">Every session (.ics)</a>` : '';
  const zone = event.timeZone ?? settings.timeZone;
  const start = event.start.setZone(zone).setLocale('en-GB');
  const end = event.end.setZone(zone).setLocale('en-GB');
  const where = [event.venue, event.address].filter(Boolean).join(', ') || (event.online ? 'Online' : '');
  const eventPage = safeUrl(event.url);
  const onlineLink = safeUrl(event.online);
  const pageLink = eventPage ? ` · <a href="${escapeHtml(eventPage)}">Event page</a>` : '';
  const online = onlineLink ? ` · <a href="${escapeHtml(onlineLink)}">Join online</a>` : '';
  const cancelled = event.status === 'cancelled' ? '<span class="cancelled">Cancelled:</span> ' : '';
  const time = isUndatedHistory(event, now)
    ? `Posted ${escapeHtml((event.source.publishedAt ?? event.start).setZone(zone).setLocale('en-GB').toFormat('d LLLL yyyy'))}; the meetup date is not in the post`
    : event.dateToBeConfirmed
      ? 'Date to be confirmed'
      : `<time datetime="${escapeHtml(start.toISO()!)}">${escapeHtml(timeRange(start, end))}</time>`;
  return `<li id="${escapeHtml(event.id)}">
<h3>${cancelled}${escapeHtml(event.title)}</h3>
<div class="meta">${time}${where ? ` · ${escapeHtml(where)}` : ''}</div>
${counts ? `<div class="meta" data-rsvp="${escapeHtml(event.id)}">RSVPs in chat: ${escapeHtml(counts)}</div>\n` : ''}<div>${calendarLink}${programme}${pageLink}${online}</div>
${linkLine('Slides', [...event.slides, ...event.talks.flatMap((t) => t.slides)])}${linkLine('Recordings', event.recordings)}</li>`;
}

/**
 * "Wednesday 10 July 2024, 18:30–21:00 CEST"; across midnight the end gets its own day, and its own zone name
 * when the clocks changed in between (22:00 CEST to 04:00 CET on the night summer time ends).
 */
function timeRange(start: DateTime, end: DateTime): string {
  const day = 'cccc d LLLL yyyy, HH:mm';
  if (start.hasSame(end, 'day')) return `${start.toFormat(day)}–${end.toFormat('HH:mm')} ${start.toFormat('ZZZZ')}`;
  const startZone = start.offset === end.offset ? '' : ` ${start.toFormat('ZZZZ')}`;
  return `${start.toFormat(day)}${startZone}–${end.toFormat(day)} ${end.toFormat('ZZZZ')}`;
}

/** Slides or recordings as links (those that pass safeUrl), labelled as the data labels them. */
function linkLine(heading: string, links: Link[]): string {
  const safe = links.flatMap((l) => {
    const url = safeUrl(l.url);
    return url ? [`<a href="${escapeHtml(url)}">${escapeHtml(l.label)}</a>`] : [];
  });
  return safe.length > 0 ? `<div class="links">${heading}: ${safe.join(', ')}</div>\n` : '';
}
