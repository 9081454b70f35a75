import { berlin, makeEvent } from '../helpers/events';
import { celonis, consoleSession, makeWorld, member, messageOf, pastEvents, plainOf } from './world';

const agenda = (text: string, world = makeWorld()) => world.dispatcher.runText('agenda', text, member);

describe('/agenda', () => {
  it('shows the next meetup by default', async () => {
    const m = messageOf(await agenda(''));
    expect(m.title).toBe('SRE Munich at Celonis 2024');
    expect(m.ephemeral).toBeUndefined();
    expect(plainOf(await agenda('next'))).toBe(plainOf(await agenda('')));
  });

  it.each([
    ['last', 'SRE+Grafana Munich at nordcloud 2024'],
    ['2023-09', 'SRE Munich at Google 2023'],
    ['2023/9', 'SRE Munich at Google 2023'],
    ['09/2023', 'SRE Munich at Google 2023'],
    ['September 2023', 'SRE Munich at Google 2023'],
    ['sep 2023', 'SRE Munich at Google 2023'],
    ['2022 Okt', 'SRE Munich at Sixt 2022'],
    ['14.09.2023', 'SRE Munich at Google 2023'],
    ['2023-09-14', 'SRE Munich at Google 2023'],
    ['celonis', 'SRE Munich at Celonis 2024'],
    ['Hartmann', 'SRE+Grafana Munich at nordcloud 2024'],
    ['sre-munich-fall-event-2022', 'SRE Munich at Sixt 2022'],
  ])('finds %p', async (query, title) => {
    expect(messageOf(await agenda(query)).title).toBe(title);
  });

  it('says when a past meetup took place', async () => {
    expect(plainOf(await agenda('last'))).toContain('This meetup took place on Wed 31 Jan 2024. The slides are linked below.');
  });

  it('answers an unknown meetup with "did you mean" and the ids to type, only to the caller', async () => {
    const m = messageOf(await agenda('celnois'));
    expect(m.ephemeral).toBe(true);
    expect(toLines(plainOf({ message: m }))).toEqual([
      'No meetup matches "celnois". Did you mean:',
      '• Wed 10 Jul 2024 · SRE Munich at Celonis 2024 (https://muc.sre.xyz/posts/sre-munich-summer-event-2024/) · Celonis · sre-munich-summer-event-2024',
      'Type /agenda with the id, e.g. /agenda sre-munich-summer-event-2024',
    ]);
  });

  it('points to /events when nothing is even close', async () => {
    expect(plainOf(await agenda('qwxzvy'))).toBe('No meetup matches "qwxzvy". /events lists them all; /agenda last shows the most recent one.');
  });

  it('offers the nearest meetups for a month without one', async () => {
    const text = plainOf(await agenda('2023-06'));
    expect(text).toMatch(/^No meetup matches "2023-06"\. Did you mean:/);
    expect(text).toContain('sre-munich-summer-fall-event-2023');
  });

  it('refuses dates that cannot be, and over-long queries, with a clear message', async () => {
    expect(plainOf(await agenda('2023-13'))).toBe('"2023-13" is not a date I can read. Use a month like 2023-06 or a day like 2023-06-13.');
    expect(plainOf(await agenda('2023-02-30'))).toBe('"2023-02-30" is not a date I can read. Use a month like 2023-06 or a day like 2023-06-13.');
    const long = 'x'.repeat(101);
    const reply = await agenda(long);
    expect(plainOf(reply)).toBe('event is too long for /agenda: at most 100 characters, got 101.');
    expect(messageOf(reply).ephemeral).toBe(true);
  });

  it('includes abstracts with a trailing "abstracts" (text) or the abstracts option (Discord)', async () => {
    const world = makeWorld();
    const text = plainOf(await world.dispatcher.runText('agenda', 'celonis abstracts', member));
    expect(text).toContain('How do you upgrade thousands of similar but independent stateful applications running ClickHouse?');
    const discord = await world.dispatcher.run('agenda', { options: { event: 'celonis', abstracts: true } }, { ...member, platform: 'discord' });
    expect(plainOf(discord)).toBe(text);
    expect(plainOf(await world.dispatcher.runText('agenda', 'abstracts', member))).toContain('How do you upgrade');
  });

  it('when nothing is scheduled: says so, shows the last meetup\'s agenda and points to /cfp', async () => {
    const world = makeWorld({ now: '2024-08-01T12:00' });
    const m = messageOf(await world.dispatcher.runText('agenda', '', member));
    expect(m.title).toBe('SRE Munich at Celonis 2024');
    const text = plainOf({ message: m });
    expect(text).toContain('No meetup is scheduled yet: the date of the next one is not out.');
    expect(text).toContain('/cfp shows the call for talks');
    expect(text).toContain('The last meetup: This meetup took place on Wed 10 Jul 2024.');
    expect(text).toMatch(/19:10\s+Talk 1: Upgrading thousands of stateful applications/);
    expect(m.buttons).toEqual([
      { id: 'agenda:abstracts:sre-munich-summer-event-2024', label: 'Abstracts' },
      { id: 'cfp:open', label: 'Submit a talk', style: 'primary' },
    ]);
  });

  it('when nothing is scheduled and the last post has no meetup date: the sentence about it is complete', async () => {
    const undated = makeEvent({
      id: 'wiesn-2024',
      title: 'SRE Munich at nordcloud 2024',
      start: berlin('2024-09-24T18:00'),
      end: berlin('2024-09-24T21:00'),
      dateToBeConfirmed: true,
      source: { file: 'events/wiesn-2024.md', publishedAt: berlin('2024-09-24T10:00') },
    });
    const text = plainOf(await agenda('', makeWorld({ events: [undated], now: '2025-03-01T12:00' })));
    expect(text).toContain('The last meetup is below.');
    expect(text).not.toMatch(/The last meetup: *(\n|$)/);
    expect(text).toContain('posted Tue 24 Sep 2024; the meetup date is not in the post');
  });

  it('with no meetups at all: nothing scheduled, and no last one', async () => {
    const world = makeWorld({ events: [] });
    const m = messageOf(await world.dispatcher.runText('agenda', '', member));
    expect(m.sections.map((s) => s.heading)).toEqual(['Speak at the next one']);
    expect(plainOf(await world.dispatcher.runText('agenda', 'last', member))).toBe('There has not been a meetup yet. /agenda shows the next one.');
  });

  it('skips a cancelled next meetup but shows it, marked, when asked for by name', async () => {
    const cancelled = makeEvent({ id: 'sre-munich-cancelled-2024', title: 'SRE Munich at Nowhere 2024', start: berlin('2024-07-09T18:30'), end: berlin('2024-07-09T21:00'), status: 'cancelled', venue: 'Nowhere' });
    const world = makeWorld({ events: [...pastEvents(), celonis(), cancelled] });
    expect(messageOf(await world.dispatcher.runText('agenda', '', member)).title).toBe('SRE Munich at Celonis 2024');
    expect(messageOf(await world.dispatcher.runText('agenda', 'nowhere', member)).title).toBe('Cancelled: SRE Munich at Nowhere 2024');
  });

  it('answers the Abstracts button with the abstracts, to the presser only', async () => {
    const world = makeWorld();
    const m = messageOf(await world.dispatcher.button('agenda:abstracts:sre-munich-summer-event-2024', member));
    expect(m.title).toBe('Abstracts: SRE Munich at Celonis 2024');
    expect(m.ephemeral).toBe(true);
    expect(plainOf({ message: m })).toContain("It's almost 15 years since the inception of DevOps.");
    expect(plainOf(await world.dispatcher.button('agenda:abstracts:sre-munich-gone-2019', member))).toBe('That meetup is no longer in the calendar. Try /events for the current list.');
  });

  it('completes event names: upcoming first, then the most recent past; filtered by what is typed', () => {
    const world = makeWorld();
    const all = world.dispatcher.autocomplete('agenda', 'event', '', member);
    expect(all).toEqual([
      { name: '2024-07-10 · SRE Munich at Celonis 2024', value: 'sre-munich-summer-event-2024' },
      { name: '2024-01-31 · SRE+Grafana Munich at nordcloud 2024', value: 'sre-munich-winter-event-2024' },
      { name: '2023-09-14 · SRE Munich at Google 2023', value: 'sre-munich-summer-fall-event-2023' },
      { name: '2022-10-13 · SRE Munich at Sixt 2022', value: 'sre-munich-fall-event-2022' },
    ]);
    expect(world.dispatcher.autocomplete('agenda', 'event', 'GOOG', member).map((c) => c.value)).toEqual(['sre-munich-summer-fall-event-2023']);
    expect(world.dispatcher.autocomplete('agenda', 'event', '2024 munich', member)).toHaveLength(2);
    expect(world.dispatcher.autocomplete('agenda', 'event', 'nadya', member).map((c) => c.value)).toEqual(['sre-munich-winter-event-2024']);
    expect(world.dispatcher.autocomplete('agenda', 'abstracts', '', member)).toEqual([]);
  });

  it('offers at most 25 completions however many meetups there are', () => {
    const many = Array.from({ length: 60 }, (_, i) => {
      const start = berlin('2019-01-09T18:30').plus({ months: i });
      return makeEvent({ id: `sremuc-${i}`, title: `SRE Munich #${i}`, start, end: start.plus({ hours: 3 }) });
    });
    expect(makeWorld({ events: many }).dispatcher.autocomplete('agenda', 'event', 'munich', member)).toHaveLength(25);
  });
});

describe('/agenda on the console', () => {
  it('prints the agenda and presses the Abstracts button by its label', async () => {
    const out = await consoleSession(makeWorld(), ['/agenda', '[abstracts]']);
    expect(out).toContain('SRE Munich at Celonis 2024\nhttps://muc.sre.xyz/posts/sre-munich-summer-event-2024/');
    expect(out).toContain('When: Wed 10 Jul 2024, 18:30–21:00');
    expect(out).toContain('19:10  Talk 1: Upgrading thousands of stateful applications across a global Kubernetes infrastructure — Michael Lex (ClickHouse)');
    expect(out).toContain('[Abstracts]');
    expect(out).toContain('Abstracts: SRE Munich at Celonis 2024');
    expect(out).toContain('How do you upgrade thousands of similar but independent stateful applications running ClickHouse?');
  });

  it('takes the command without a slash and explains a bad date', async () => {
    const out = await consoleSession(makeWorld(), ['agenda 2023-13', 'agenda last']);
    expect(out).toContain('"2023-13" is not a date I can read.');
    expect(out).toContain('SRE+Grafana Munich at nordcloud 2024');
  });
});

function toLines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}
