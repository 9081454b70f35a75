import { Catalogue } from '../../src/catalogue/catalogue';
import type { OutboxRow } from '../../src/schedule/outbox';
import { plan, planReport, type OutboxView, type PlannerInput } from '../../src/schedule/planner';
import { berlin, makeSettings } from '../helpers/events';
import { TEST_FEEDS } from '../helpers/services';
import { autumnMeetup, RULES, SLACK_DESTINATIONS } from './harness';

/** The planner without I/O: an outbox view over plain arrays. */
function view(rows: OutboxRow[] = []): OutboxView {
  return {
    existing: (keys) => new Set(keys.filter((k) => rows.some((r) => r.deliveryKey === k))),
    sentAbout: (id) => rows.filter((r) => r.status === 'sent' && r.eventId === id),
    unsentAbout: (id) => rows.filter((r) => (r.status === 'pending' || r.status === 'sending') && r.eventId === id),
    pendingAboutEvents: () => rows.filter((r) => r.status === 'pending' && r.eventId),
  };
}

function input(now: string, overrides: Partial<PlannerInput> = {}): PlannerInput {
  return {
    catalogue: new Catalogue([autumnMeetup()]),
    settings: makeSettings(),
    rules: RULES,
    destinations: SLACK_DESTINATIONS,
    feeds: TEST_FEEDS,
    now: berlin(now),
    graceMinutes: 120,
    onChange: 'edit',
    paused: false,
    outbox: view(),
    duePosts: [],
    seen: () => berlin('2026-10-01T09:00'),
    ...overrides,
  };
}

describe('planner: catalogue, rules, outbox state, now -> outbox operations', () => {
  it('plans the reminder when it falls due, worth making until the meetup starts', () => {
    const ops = plan(input('2026-10-26T10:00'));
    const inserts = ops.flatMap((op) => (op.op === 'insert' ? op.rows : []));
    // (The announcement fell due on 13 October: beyond the planning horizon of a week.)
    expect(inserts.map((r) => r.deliveryKey)).toEqual([
      'rule:reminder:sre-munich-autumn-event-2026:slack:C0ANNOUNCE',
      'rule:reminder:sre-munich-autumn-event-2026:slack:C0GENERAL',
      'rule:reminder:sre-munich-autumn-event-2026:slack:C0MEETUPS',
    ]);
    const reminder = inserts.find((r) => r.deliveryKey.startsWith('rule:reminder'))!;
    expect(reminder).toMatchObject({ status: 'pending' });
    expect(reminder.worthUntil?.toISO()).toBe(autumnMeetup().start.toISO());
  });

  it('records a meetup it sees for the first time', () => {
    const ops = plan(input('2026-10-20T12:00', { seen: () => undefined }));
    expect(ops).toContainEqual({ op: 'seen', subject: 'sre-munich-autumn-event-2026', at: berlin('2026-10-20T12:00') });
  });

  it('never announces or reminds of a meetup whose date is to be confirmed', () => {
    const tbc = new Catalogue([autumnMeetup({ dateToBeConfirmed: true })]);
    for (const now of ['2026-10-13T10:00', '2026-10-20T12:00', '2026-10-26T10:00', '2026-10-27T17:30']) {
      expect(plan(input(now, { catalogue: tbc, seen: () => undefined })).filter((op) => op.op === 'insert')).toEqual([]);
    }
  });

  it('plans nothing while paused', () => {
    expect(plan(input('2026-10-26T10:00', { paused: true }))).toEqual([]);
  });

  it('a report to the organizers is an outbox row per organizers channel, covering each problem once', () => {
    const failed = { deliveryKey: 'rule:reminder:x:slack:C0ANNOUNCE', status: 'failed', platform: 'slack', channel: 'C0ANNOUNCE', lastError: 'channel_not_found', payload: { label: 'reminder: X', message: { sections: [] } }, dueAt: berlin('2026-10-26T10:00') } as unknown as OutboxRow;
    const ops = planReport([failed], [], [{ platform: 'slack', channel: 'C0ORGS' }, { platform: 'discord', channel: '1399' }], { settings: makeSettings(), now: berlin('2026-10-26T10:01') });
    expect(ops).toHaveLength(1);
    const [op] = ops;
    if (op?.op !== 'report') throw new Error('expected a report');
    expect(op.covers).toEqual([failed.deliveryKey]);
    expect(op.rows.map((r) => [r.platform, r.channel, r.kind, r.status])).toEqual([
      ['slack', 'C0ORGS', 'report', 'pending'],
      ['discord', '1399', 'report', 'pending'],
    ]);
    expect(planReport([], [], [{ platform: 'slack', channel: 'C0ORGS' }], { settings: makeSettings(), now: berlin('2026-10-26T10:01') })).toEqual([]);
  });
});
