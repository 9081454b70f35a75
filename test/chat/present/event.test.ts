import type { MeetupEvent, Talk } from '../../../src/catalogue/event';
import { richToPlain, toPlainText, type MessageModel, type RichText, type Span } from '../../../src/chat/message';
import {
  eventLine,
  presentAbstracts,
  presentAgenda,
  presentNextLine,
} from '../../../src/chat/present/event';
import { fairShares, linesToSections } from '../../../src/chat/present/fit';
import { LIMITS, renderMessage } from '../../../src/chat/slack/render';
import { berlin, makeEvent, makeSettings } from '../../helpers/events';
import { TEST_FEEDS } from '../../helpers/services';
import { url } from '../../helpers/url';

const settings = makeSettings();
const plain = (m: MessageModel) => toPlainText(m);
const spans = (text: RichText | undefined): Exclude<Span, string>[] => (text ?? []).filter((s): s is Exclude<Span, string> => typeof s !== 'string');

/** Discord embed limits: the renderer for Discord has no room to spare beyond these. */
const DISCORD = { fieldValue: 1024, embedTotal: 6000 };

function embedSize(m: MessageModel): number {
  return (
    (m.title?.length ?? 0) +
    richToPlain(m.intro).length +
    m.sections.reduce((n, s) => n + (s.heading?.length ?? 0) + richToPlain(s.body).length, 0) +
    m.fields.reduce((n, f) => n + f.name.length + richToPlain(f.value).length, 0) +
    m.links.reduce((n, l) => n + l.label.length + l.url.length + 4, 0) +
    richToPlain(m.footer).length
  );
}

describe('presentAgenda', () => {
  const event = makeEvent({ address: 'Theresienstraße 6, 80333 München' });
  const m = presentAgenda(event, settings, TEST_FEEDS);

  it('titles the message with the meetup, linked to its page', () => {
    expect(m.title).toBe('SRE Munich at Celonis 2024');
    expect(m.titleUrl).toBe('https://muc.sre.xyz/posts/sre-munich-summer-event-2024/');
  });

  it('gives when, doors and where as fields, with times as time spans (each platform shows them its way)', () => {
    expect(m.fields.map((f) => f.name)).toEqual(['When', 'Doors open', 'Where']);
    expect(m.fields[0]!.value).toEqual([
      { kind: 'time', at: event.start, format: 'date' },
      ', ',
      { kind: 'time', at: event.start, format: 'time' },
      '–',
      { kind: 'time', at: event.end, format: 'time' },
    ]);
    expect(richToPlain(m.fields[2]!.value)).toBe('Celonis, Theresienstraße 6, 80333 München');
  });

  it('lists every agenda item with its time, talks with their speakers', () => {
    const agenda = m.sections.find((s) => s.heading === 'Agenda')!;
    expect(richToPlain(agenda.body).split('\n')).toEqual([
      '18:30  Get together with food and drinks',
      '19:00  Celonis welcomes you to SREmuc',
      '19:10  Talk 1: Upgrading thousands of stateful applications across a global Kubernetes infrastructure — Michael Lex (ClickHouse)',
      '19:40  Talk 2: Lessons learned from 15 years DevOps — Paul Stack (System Initiative)',
      '20:30  Networking + Drinks',
      '21:00  Leave happy and inspired :)',
    ]);
  });

  it('has a section per talk with speakers, company and slides as links; abstracts behind a button', () => {
    const talk = m.sections.find((s) => s.heading?.startsWith('Upgrading thousands'))!;
    expect(richToPlain(talk.body)).toBe('19:10 · Michael Lex (ClickHouse) · Slides: Clickhouse (https://muc.sre.xyz/slides/2024_07/clickhouse.pdf)');
    expect(spans(talk.body)).toContainEqual({ kind: 'link', url: 'https://muc.sre.xyz/slides/2024_07/clickhouse.pdf', label: 'Clickhouse' });
    expect(plain(m)).not.toContain('How do you upgrade');
    expect(m.buttons).toEqual([{ id: 'agenda:abstracts:sre-munich-summer-event-2024', label: 'Abstracts' }]);
  });

  it('links the page and the meetup’s own calendar file, and signs with the hashtag', () => {
    expect(m.links).toEqual([
      { label: 'Event page', url: 'https://muc.sre.xyz/posts/sre-munich-summer-event-2024/' },
      { label: 'Add to calendar', url: 'http://127.0.0.1:8080/events/sre-munich-summer-event-2024.ics' },
    ]);
    expect(richToPlain(m.footer)).toBe('#sremuc · muc@sre.xyz');
  });

  it('includes the abstracts when asked, with no button for them', () => {
    const withAbstracts = presentAgenda(event, settings, TEST_FEEDS, { abstracts: true });
    expect(plain(withAbstracts)).toContain('How do you upgrade thousands of similar but independent stateful applications running ClickHouse?');
    expect(withAbstracts.buttons).toEqual([]);
  });

  it('shows an online meetup with its join link and no venue', () => {
    const online = makeEvent({ venue: undefined, online: 'https://meet.example.org/sremuc', title: 'SRE Munich Fall Online Event 2020' });
    const shown = presentAgenda(online, settings, TEST_FEEDS);
    expect(shown.fields.map((f) => f.name)).toEqual(['When', 'Online from', 'Where']);
    expect(shown.fields[2]!.value).toEqual([{ kind: 'link', url: 'https://meet.example.org/sremuc', label: 'Join online' }]);
  });

  it('says when a meetup is over or cancelled', () => {
    const over = presentAgenda(event, settings, TEST_FEEDS, { now: berlin('2024-07-11T09:00') });
    expect(richToPlain(over.intro)).toBe('This meetup took place on Wed 10 Jul 2024. The slides are linked below.');
    expect(over.links.map((l) => l.label)).toEqual(['Event page']);
    const cancelled = presentAgenda({ ...event, status: 'cancelled' }, settings, TEST_FEEDS);
    expect(cancelled.title).toBe('Cancelled: SRE Munich at Celonis 2024');
    expect(richToPlain(cancelled.intro)).toBe('This meetup is cancelled.');
  });

  it('says the agenda is still to come when there is none', () => {
    const bare = presentAgenda(makeEvent({ agenda: [], talks: [] }), settings, TEST_FEEDS);
    expect(bare.sections).toEqual([{ heading: 'Agenda', body: ['The agenda will be announced soon.'] }]);
    expect(bare.buttons).toEqual([]);
  });

  it('does not repeat a speaker the agenda line already names', () => {
    const e = makeEvent();
    e.agenda[2] = { ...e.agenda[2]!, title: 'Talk 1: Upgrading thousands (Michael Lex, ClickHouse)' };
    const line = richToPlain(presentAgenda(e, settings, TEST_FEEDS).sections[0]!.body).split('\n')[2];
    expect(line).toBe('19:10  Talk 1: Upgrading thousands (Michael Lex, ClickHouse)');
  });
});

describe('a long agenda still fits every platform', () => {
  const start = berlin('2025-03-12T18:00');
  const talks: Talk[] = Array.from({ length: 12 }, (_, i) => ({
    title: `Talk ${i + 1}: ${'Reliability at scale, revisited once more '.repeat(3)}`,
    speakers: [{ name: `Speaker ${i + 1}`, company: 'A Company With A Rather Long Name GmbH & Co. KG' }],
    kind: i % 3 === 0 ? 'lightning' : 'talk',
    // One short abstract among long ones: it must survive whole.
    abstract: i === 5 ? 'Short and sweet.' : `${'We learned a lot about error budgets and on-call. '.repeat(60)}The end.`,
    slides: [{ label: 'Slides', url: url(`https://muc.sre.xyz/slides/2025_03/talk-${i + 1}.pdf`) }],
    start: start.plus({ minutes: 30 + i * 10 }),
  }));
  const event: MeetupEvent = makeEvent({
    id: 'sre-munich-marathon-2025',
    title: 'SRE Munich Marathon 2025',
    start,
    end: start.plus({ hours: 4 }),
    talks,
    agenda: [
      { start, title: 'Doors open' },
      ...talks.map((t, i) => ({ start: t.start, title: t.title, talkIndex: i })),
      ...Array.from({ length: 20 }, (_, i) => ({ title: `Untimed note ${i + 1}: ${'bring your questions '.repeat(3)}` })),
    ],
    url: url('https://muc.sre.xyz/posts/sre-munich-marathon-2025/'),
  });

  it.each([
    ['agenda with abstracts', presentAgenda(event, settings, TEST_FEEDS, { abstracts: true })],
    ['agenda', presentAgenda(event, settings, TEST_FEEDS)],
    ['abstracts', presentAbstracts(event, settings, TEST_FEEDS)],
  ])('%s: every section fits a Discord field, the whole fits an embed and Slack’s block limits', (_name, m) => {
    for (const s of [...m.sections, ...m.fields.map((f) => ({ heading: f.name, body: f.value }))]) {
      expect(richToPlain(s.body).length).toBeLessThanOrEqual(DISCORD.fieldValue);
    }
    expect(embedSize(m)).toBeLessThanOrEqual(DISCORD.embedTotal);
    const { blocks } = renderMessage(m);
    expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    expect(JSON.stringify(blocks)).not.toContain('more parts not shown');
  });

  it('cuts long abstracts with "…" and a link to the full page, and keeps a short one whole', () => {
    const m = presentAbstracts(event, settings, TEST_FEEDS);
    const talkSections = m.sections.filter((s) => s.heading?.startsWith('Talk '));
    // Not all twelve fit with a useful piece of abstract each: the rest are pointed to on the page.
    expect(talkSections.length).toBeGreaterThanOrEqual(8);
    const left = 12 - talkSections.length;
    expect(plain(m)).toContain(`… and ${left} more talks: see the full agenda (https://muc.sre.xyz/posts/sre-munich-marathon-2025/)`);
    const cut = richToPlain(talkSections[0]!.body);
    expect(cut).toMatch(/… Read more \(https:\/\/muc\.sre\.xyz\/posts\/sre-munich-marathon-2025\/\)$/);
    expect(cut).toContain('We learned a lot about error budgets');
    expect(richToPlain(talkSections[5]!.body)).toMatch(/\nShort and sweet\.$/);
  });
});

describe('one-liners and lists', () => {
  it('/next: what, when, where, calendar and subscribe links', () => {
    const m = presentNextLine(makeEvent(), settings, TEST_FEEDS);
    expect(m.intro).toEqual([
      'Next: ',
      { kind: 'link', url: 'https://muc.sre.xyz/posts/sre-munich-summer-event-2024/', label: 'SRE Munich at Celonis 2024' },
      ', ',
      { kind: 'time', at: berlin('2024-07-10T18:30'), format: 'full' },
      ' at ',
      'Celonis',
      '. ',
      { kind: 'link', url: 'http://127.0.0.1:8080/events/sre-munich-summer-event-2024.ics', label: 'Add it to your calendar' },
      ' or ',
      { kind: 'link', url: 'http://127.0.0.1:8080/', label: 'subscribe to all SRE Munich meetups' },
      '.',
    ]);
  });

  it('an event line marks cancelled meetups and can carry the id to type', () => {
    const line = eventLine(makeEvent({ status: 'cancelled', url: undefined }), { withId: true });
    expect(richToPlain(line)).toBe('Wed 10 Jul 2024 · SRE Munich at Celonis 2024 · Celonis (cancelled) · sre-munich-summer-event-2024');
  });
});

describe('fit helpers', () => {
  it('fairShares gives short texts all they need and splits the rest evenly', () => {
    expect(fairShares([100, 10, 1000, 1000], 910)).toEqual([100, 10, 400, 400]);
    expect(fairShares([5, 5], 100)).toEqual([5, 5]);
    expect(fairShares([50], -10)).toEqual([0]);
  });

  it('linesToSections splits long lists and marks the continuation', () => {
    const lines = Array.from({ length: 30 }, (_, i) => [`line ${i} ${'x'.repeat(90)}`]);
    const sections = linesToSections('Agenda', lines, 1000);
    expect(sections.length).toBeGreaterThan(1);
    expect(sections.map((s) => s.heading)).toEqual(['Agenda', ...Array(sections.length - 1).fill('Agenda (continued)')]);
    expect(sections.every((s) => richToPlain(s.body).length + (s.heading?.length ?? 0) <= 1000)).toBe(true);
    expect(sections.flatMap((s) => richToPlain(s.body).split('\n'))).toEqual(lines.map((l) => l[0]));
  });
});
