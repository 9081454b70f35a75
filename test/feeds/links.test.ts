import { eventFeedPath, feedLinks, talksFeedLinks } from '../../src/feeds/links';
import { TEST_FEEDS } from '../helpers/services';

describe('feedLinks', () => {
  it('builds https, webcal, Google add-by-URL, page and per-event links', () => {
    const links = feedLinks('https://cal.sre.xyz');
    expect(links.calendar).toBe('https://cal.sre.xyz/calendar.ics');
    expect(links.webcal).toBe('webcal://cal.sre.xyz/calendar.ics');
    expect(links.google).toBe('https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fcal.sre.xyz%2Fcalendar.ics');
    expect(links.page).toBe('https://cal.sre.xyz/');
    expect(links.event('sre-munich-summer-event-2024')).toBe('https://cal.sre.xyz/events/sre-munich-summer-event-2024.ics');
  });

  it('agrees with the links command tests expect for the default local server', () => {
    const links = feedLinks('http://127.0.0.1:8080');
    expect({ ...links, event: links.event('x'), talks: links.talks('x y') }).toEqual({ ...TEST_FEEDS, event: TEST_FEEDS.event('x'), talks: TEST_FEEDS.talks('x y') });
  });

  it('ignores trailing slashes, keeps a path prefix and drops line breaks from the configured URL', () => {
    expect(feedLinks('https://sre.xyz/muc/').calendar).toBe('https://sre.xyz/muc/calendar.ics');
    expect(feedLinks('https://sre.xyz/muc\r\n').page).toBe('https://sre.xyz/muc/');
  });

  it('encodes ids so an id can never reach another path', () => {
    expect(eventFeedPath('a/../b c')).toBe('/events/a%2F..%2Fb%20c.ics');
    expect(feedLinks('https://x.y').event('ä?#')).toBe('https://x.y/events/%C3%A4%3F%23.ics');
  });

  it('links the talks feed the same way', () => {
    expect(talksFeedLinks('https://cal.sre.xyz')).toEqual({
      calendar: 'https://cal.sre.xyz/talks.ics',
      webcal: 'webcal://cal.sre.xyz/talks.ics',
      google: 'https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fcal.sre.xyz%2Ftalks.ics',
    });
  });
});
