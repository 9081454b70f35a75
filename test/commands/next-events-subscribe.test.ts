import { richToPlain } from '../../src/chat/message';
import { berlin, makeEvent } from '../helpers/events';
import { TEST_FEEDS } from '../helpers/services';
import { celonis, consoleSession, makeWorld, member, messageOf, pastEvents, plainOf } from './world';

describe('/next', () => {
  it('is one line: what, when, where, calendar and subscribe links', async () => {
    const m = messageOf(await makeWorld().dispatcher.runText('next', '', member));
    expect(m.sections).toEqual([]);
    expect(plainOf({ message: m })).toBe(
      `Next: SRE Munich at Celonis 2024 (https://muc.sre.xyz/posts/sre-munich-summer-event-2024/), Wed 10 Jul 2024, 18:30 CEST at Celonis. ` +
        'Add it to your calendar (http://127.0.0.1:8080/events/sre-munich-summer-event-2024.ics) or subscribe to all SRE Munich meetups (http://127.0.0.1:8080/).',
    );
  });

  it('says nothing is scheduled, names the last meetup and how to hear first', async () => {
    const text = plainOf(await makeWorld({ now: '2024-08-01T12:00' }).dispatcher.runText('next', '', member));
    expect(text).toBe(
      'No meetup is scheduled yet. The last one: Wed 10 Jul 2024 · SRE Munich at Celonis 2024 (https://muc.sre.xyz/posts/sre-munich-summer-event-2024/) · Celonis. ' +
        'Subscribe to the calendar (http://127.0.0.1:8080/) to hear first, or propose a talk with /cfp.',
    );
  });

  it('takes no arguments', async () => {
    expect(plainOf(await makeWorld().dispatcher.runText('next', 'week', member))).toBe('/next got more than it takes: "week"');
  });
});

describe('/events', () => {
  it('lists what is coming up and the recent past, newest first', async () => {
    const m = messageOf(await makeWorld().dispatcher.runText('events', '', member));
    expect(m.title).toBe('SRE Munich meetups');
    expect(m.sections.map((s) => [s.heading, richToPlain(s.body).split('\n').map((l) => l.split(' · ')[1])])).toEqual([
      ['Coming up', ['SRE Munich at Celonis 2024 (https://muc.sre.xyz/posts/sre-munich-summer-event-2024/)']],
      [
        'Recent',
        [
          'SRE+Grafana Munich at nordcloud 2024 (https://muc.sre.xyz/posts/sre-munich-winter-event-2024/)',
          'SRE Munich at Google 2023 (https://muc.sre.xyz/posts/sre-munich-summer-fall-event-2023/)',
          'SRE Munich at Sixt 2022 (https://muc.sre.xyz/posts/sre-munich-fall-event-2022/)',
        ],
      ],
    ]);
    expect(m.links).toEqual([{ label: 'Subscribe to the calendar', url: TEST_FEEDS.page }]);
  });

  it('shows at most five past meetups by default, more or none when asked', async () => {
    const many = Array.from({ length: 30 }, (_, i) => {
      const start = berlin('2020-01-15T18:30').plus({ months: i });
      return makeEvent({ id: `sremuc-${i}`, title: `SRE Munich #${i}`, start, end: start.plus({ hours: 3 }), url: undefined });
    });
    const world = makeWorld({ events: many });
    const lines = async (text: string) => {
      const m = messageOf(await world.dispatcher.runText('events', text, member));
      return m.sections.filter((s) => s.heading?.startsWith('Recent')).flatMap((s) => richToPlain(s.body).split('\n'));
    };
    expect(await lines('')).toHaveLength(5);
    expect((await lines(''))[0]).toContain('SRE Munich #29');
    expect(await lines('20')).toHaveLength(20);
    expect(await lines('0')).toEqual([]);
    expect(plainOf(await world.dispatcher.runText('events', '21', member))).toBe('past must be between 0 and 20, got 21.');
    expect(plainOf(await world.dispatcher.runText('events', 'many', member))).toBe('past must be a whole number, got "many".');
    expect(plainOf(await world.dispatcher.runText('events', '', member))).toContain('Coming up\nNothing scheduled yet. Have a talk idea? Try /cfp.');
  });

  it('lists at most ten upcoming meetups and points to the calendar for the rest', async () => {
    const planned = Array.from({ length: 14 }, (_, i) => {
      const start = berlin('2024-08-14T18:30').plus({ months: i });
      return makeEvent({ id: `planned-${i}`, title: `SRE Munich planned #${i}`, start, end: start.plus({ hours: 3 }), url: undefined });
    });
    const m = messageOf(await makeWorld({ events: [...pastEvents(), ...planned] }).dispatcher.runText('events', '', member));
    const coming = richToPlain(m.sections.find((s) => s.heading === 'Coming up')!.body).split('\n');
    expect(coming).toHaveLength(11);
    expect(coming[0]).toContain('SRE Munich planned #0');
    expect(coming[9]).toContain('SRE Munich planned #9');
    expect(coming[10]).toBe('… and 4 more: /subscribe puts them all in your calendar');
  });

  it('keeps a cancelled upcoming meetup in the list, marked', async () => {
    const cancelled = makeEvent({ id: 'x-2024', title: 'SRE Munich at Nowhere 2024', start: berlin('2024-09-10T18:30'), end: berlin('2024-09-10T21:00'), status: 'cancelled', venue: 'Nowhere', url: undefined });
    const text = plainOf(await makeWorld({ events: [...pastEvents(), celonis(), cancelled] }).dispatcher.runText('events', '', member));
    expect(text).toContain('Tue 10 Sep 2024 · SRE Munich at Nowhere 2024 · Nowhere (cancelled)');
  });
});

describe('/subscribe', () => {
  it('gives every way to subscribe, and the next meetup’s own file', async () => {
    const m = messageOf(await makeWorld().dispatcher.runText('subscribe', '', member));
    expect(m.title).toBe('Subscribe to SRE Munich meetups');
    const urls = m.sections.flatMap((s) => s.body.flatMap((span) => (typeof span !== 'string' && span.kind === 'link' ? [span.url] : typeof span !== 'string' && span.kind === 'code' ? [span.text] : [])));
    expect(urls).toEqual([TEST_FEEDS.google, TEST_FEEDS.page, TEST_FEEDS.webcal, TEST_FEEDS.calendar, TEST_FEEDS.event('sre-munich-summer-event-2024')]);
    expect(m.buttons).toEqual([{ id: 'subscribe:page', label: 'All the ways to subscribe', url: TEST_FEEDS.page }]);
    expect(richToPlain(m.footer)).toBe('#sremuc');
  });

  it('leaves out the next meetup when there is none', async () => {
    const m = messageOf(await makeWorld({ now: '2025-01-01T00:00' }).dispatcher.runText('subscribe', '', member));
    expect(m.sections.map((s) => s.heading)).toEqual(['Google Calendar', 'Apple Calendar, Outlook, Thunderbird', 'Any other calendar app']);
  });

  it('prints on the console with the link button as a URL', async () => {
    const out = await consoleSession(makeWorld(), ['subscribe']);
    expect(out).toContain('Subscribe to this address: http://127.0.0.1:8080/calendar.ics');
    expect(out).toContain('[All the ways to subscribe] http://127.0.0.1:8080/');
  });
});
