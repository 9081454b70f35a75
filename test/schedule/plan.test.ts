import { Catalogue } from '../../src/catalogue/catalogue';
import { richToPlain, toPlainText } from '../../src/chat/message';
import { decodePayload, encodePayload, eventContentHash } from '../../src/schedule/payload';
import { destinationsFor, planRules, ruleDueAt, type PlanInput } from '../../src/schedule/plan';
import type { AnnouncementRule } from '../../src/schedule/rules';
import { berlin, makeSettings } from '../helpers/events';
import { TEST_FEEDS } from '../helpers/services';
import { autumnMeetup, RULES, SLACK_DESTINATIONS } from './harness';
import { url } from '../helpers/url';

const rule = (id: string): AnnouncementRule => RULES.rules.find((r) => r.id === id)!;
const START = berlin('2026-10-27T18:30');
const utc = (d: { toUTC(): { toISO(): string | null } } | undefined) => d?.toUTC().toISO();

describe('ruleDueAt: the default rules around the 25 October 2026 DST switch', () => {
  const seenEarly = berlin('2026-09-01T12:00');

  it('announces 14 calendar days before at 10:00 summer time, reminds the day before at 10:00 winter time, opens doors 1 h before', () => {
    expect(utc(ruleDueAt(rule('announce'), START, seenEarly, START))).toBe('2026-10-13T08:00:00.000Z');
    expect(utc(ruleDueAt(rule('reminder'), START, seenEarly, START))).toBe('2026-10-26T09:00:00.000Z');
    expect(utc(ruleDueAt(rule('doors-open'), START, seenEarly, START))).toBe('2026-10-27T16:30:00.000Z');
  });

  it('on the switch night itself: "1d before" keeps the wall time, "1h before" is one real hour', () => {
    const mondayAfterSwitch = berlin('2026-10-26T18:30');
    const reminder = ruleDueAt(rule('reminder'), mondayAfterSwitch, seenEarly, mondayAfterSwitch)!;
    expect(reminder.toISO()).toBe('2026-10-25T10:00:00.000+01:00');
    const doors = ruleDueAt(rule('doors-open'), berlin('2026-10-25T03:30'), seenEarly)!;
    // One real hour before 03:30 CET (02:30 UTC) is the second 02:30 of that night, already CET.
    expect(doors.toISO()).toBe('2026-10-25T02:30:00.000+01:00');
    expect(utc(doors)).toBe('2026-10-25T01:30:00.000Z');
  });

  it('a meetup published after the 14-day point is announced when first seen, never after it starts', () => {
    const seenLate = berlin('2026-10-20T08:17');
    expect(ruleDueAt(rule('announce'), START, seenLate, START)?.toISO()).toBe('2026-10-20T08:17:00.000+02:00');
    expect(ruleDueAt(rule('announce'), START, START, START)).toBeUndefined();
    expect(ruleDueAt(rule('announce'), START, START.plus({ hours: 1 }), START)).toBeUndefined();
  });

  it('a reminder whose time passed before the bot knew the meetup is not planned (the announcement covers it)', () => {
    expect(ruleDueAt(rule('reminder'), START, berlin('2026-10-26T11:00'), START)).toBeUndefined();
    expect(ruleDueAt(rule('doors-open'), START, berlin('2026-10-26T11:00'), START)?.toISO()).toBe('2026-10-27T17:30:00.000+01:00');
  });
});

describe('planRules', () => {
  const input = (overrides: Partial<PlanInput> = {}): PlanInput => ({
    catalogue: new Catalogue([autumnMeetup()]),
    settings: makeSettings(),
    rules: RULES,
    destinations: SLACK_DESTINATIONS,
    feeds: TEST_FEEDS,
    ...overrides,
  });
  const seen = () => berlin('2026-09-01T12:00');

  it('plans each rule once, in order, with its delivery key and the message it will post', () => {
    const groups = planRules(input(), seen, berlin('2026-10-01T00:00'), berlin('2026-10-28T00:00'));
    expect(groups.map((g) => [g.key, utc(g.dueAt), g.destinations.length])).toEqual([
      ['rule:announce:sre-munich-autumn-event-2026', '2026-10-13T08:00:00.000Z', 3],
      ['rule:reminder:sre-munich-autumn-event-2026', '2026-10-26T09:00:00.000Z', 3],
      ['rule:doors-open:sre-munich-autumn-event-2026', '2026-10-27T16:30:00.000Z', 3],
    ]);
    const reminder = groups[1]!.payload();
    expect(reminder.label).toBe('reminder: SRE Munich Autumn 2026');
    expect(richToPlain(reminder.message.intro)).toBe('Tomorrow: SRE Munich Autumn 2026, 18:30 at Celonis. Here is the agenda; see you there!');
    // The agenda below the text comes from the shared presenter.
    expect(toPlainText(reminder.message)).toContain('Talk 1: Upgrading thousands of stateful applications');
    const doors = groups[2]!.payload().message;
    expect(doors.title).toBe('SRE Munich Autumn 2026');
    expect(doors.sections).toEqual([]);
  });

  it('plans nothing for cancelled meetups and only the window asked for', () => {
    expect(planRules(input({ catalogue: new Catalogue([autumnMeetup({ status: 'cancelled' })]) }), seen, berlin('2026-10-01T00:00'), berlin('2026-10-28T00:00'))).toEqual([]);
    const window = planRules(input(), seen, berlin('2026-10-26T10:00'), berlin('2026-10-27T17:30'));
    expect(window.map((g) => g.key)).toEqual(['rule:doors-open:sre-munich-autumn-event-2026']);
  });

  it('plans no rule for an event whose source did not opt in to announcements (announce: false)', () => {
    const imported = autumnMeetup({ id: 'meetup-com-autumn', announce: false });
    const optedIn = autumnMeetup({ id: 'opted-in', announce: true });
    const groups = planRules(input({ catalogue: new Catalogue([imported, optedIn]) }), seen, berlin('2026-10-01T00:00'), berlin('2026-10-28T00:00'));
    expect(groups.map((g) => g.eventId)).toEqual(['opted-in', 'opted-in', 'opted-in']);
  });

  it('reminds of the call for talks 7 days and 1 day before the deadline, at 10:00', () => {
    const settings = makeSettings({ cfp: { ...makeSettings().cfp, deadline: '2026-12-15' } });
    const groups = planRules(input({ catalogue: new Catalogue([]), settings }), seen, berlin('2026-12-01T00:00'), berlin('2026-12-16T00:00'));
    expect(groups.map((g) => [g.key, g.dueAt.toISO()])).toEqual([
      ['rule:cfp-week:cfp-2026-12-15', '2026-12-08T10:00:00.000+01:00'],
      ['rule:cfp-tomorrow:cfp-2026-12-15', '2026-12-14T10:00:00.000+01:00'],
    ]);
    const text = toPlainText(groups[0]!.payload().message);
    expect(text).toContain('The call for talks closes in 7 days (Tue 15 Dec 2026).');
    expect(text).toContain('submit with /cfp or muc@sre.xyz.');
  });

  it('a rule with its own channels and platforms posts only there', () => {
    const all = [...SLACK_DESTINATIONS, { platform: 'discord' as const, channel: '1001' }];
    expect(destinationsFor({ platforms: ['discord'] }, all)).toEqual([{ platform: 'discord', channel: '1001' }]);
    expect(destinationsFor({ channels: [{ platform: 'slack', channel: 'C0OTHER' }] }, all)).toEqual([{ platform: 'slack', channel: 'C0OTHER' }]);
    expect(destinationsFor({}, all)).toHaveLength(4);
  });
});

describe('payloads and content hashes', () => {
  it('a stored message comes back with its time spans in the community zone', () => {
    const groups = planRules(
      { catalogue: new Catalogue([autumnMeetup()]), settings: makeSettings(), rules: RULES, destinations: SLACK_DESTINATIONS, feeds: TEST_FEEDS },
      () => berlin('2026-09-01T12:00'),
      berlin('2026-10-26T00:00'),
      berlin('2026-10-26T23:00'),
    );
    const payload = groups[0]!.payload();
    const back = decodePayload(encodePayload(payload));
    expect(toPlainText(back.message)).toBe(toPlainText(payload.message));
    expect(toPlainText(back.message)).toContain('18:30');
    const span = back.message.intro!.find((s) => typeof s !== 'string' && s.kind === 'time');
    expect(span && typeof span !== 'string' && span.kind === 'time' && span.at.zoneName).toBe('Europe/Berlin');
  });

  it('changes with the agenda, not with abstracts or slides added after the meetup', () => {
    const event = autumnMeetup();
    const base = eventContentHash(event);
    expect(eventContentHash(autumnMeetup())).toBe(base);
    expect(eventContentHash({ ...event, agenda: event.agenda.slice(1) })).not.toBe(base);
    expect(eventContentHash({ ...event, start: event.start.plus({ minutes: 30 }) })).not.toBe(base);
    expect(eventContentHash({ ...event, talks: event.talks.map((t) => ({ ...t, abstract: 'new', slides: [{ label: 's', url: url('https://x') }] })) })).toBe(base);
  });
});
