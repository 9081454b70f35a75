import { CfpStore, cleanProposal, normaliseLength, PROPOSAL_FIELDS } from '../../src/cfp/submissions';
import { ArgumentError, FieldErrors, type Caller, type CfpProposal } from '../../src/commands/definition';
import { ManualClock } from '../helpers/clock';
import type { Db } from '../../src/store/db';
import { sql } from 'kysely';
import { memoryDb } from '../helpers/db';
import { berlin, makeSettings } from '../helpers/events';

const jane: Caller = { platform: 'slack', id: 'U0JANE', name: 'jane', isOrganizer: false };
const proposal = (overrides: Partial<CfpProposal> = {}): CfpProposal => ({
  title: 'Tales from On-call: the night DNS died',
  abstract: 'We lost DNS for an hour. Here is what we learned about caches and timeouts.',
  length: 'Talk, 30 minutes',
  speaker: 'Jane Doe (Example GmbH)',
  contact: 'jane@example.org',
  ...overrides,
});

describe('CfpStore', () => {
  let db: Db;
  let clock: ManualClock;
  let store: CfpStore;

  beforeEach(async () => {
    db = await memoryDb();
    clock = new ManualClock(berlin('2024-07-08T12:00'));
    store = new CfpStore(db, clock);
  });
  afterEach(async () => db.close());

  it('stores a proposal in cfp_submissions and lists it back, most recent first', async () => {
    const first = await store.submit(jane, proposal());
    clock.advance({ minutes: 5 });
    const second = await store.submit({ ...jane, id: 'U0BOB', name: 'bob' }, proposal({ title: 'Error budgets in practice' }));
    expect(first).toMatchObject({ id: 1, platform: 'slack', userId: 'U0JANE', userName: 'jane', title: 'Tales from On-call: the night DNS died' });
    expect(first.createdAt.toISO()).toBe('2024-07-08T12:00:00.000+02:00');
    const rows = await db.rows(sql`SELECT user_id, title, created_at FROM cfp_submissions ORDER BY id`);
    expect(rows).toEqual([
      { user_id: 'U0JANE', title: 'Tales from On-call: the night DNS died', created_at: '2024-07-08T10:00:00.000Z' },
      { user_id: 'U0BOB', title: 'Error budgets in practice', created_at: '2024-07-08T10:05:00.000Z' },
    ]);
    const listed = await store.list(10);
    expect(listed.map((s) => s.id)).toEqual([second.id, first.id]);
    expect(listed[1]!.createdAt.toISO()).toBe('2024-07-08T12:00:00.000+02:00');
    expect(await store.list(1)).toHaveLength(1);
  });

  it('trims fields, keeps the abstract’s line breaks, and drops control and bidi characters', async () => {
    const stored = await store.submit(jane, proposal({ title: '  The \u001b[31mred\u001b[0m alert\u202e  ', abstract: 'Line one.\r\n\r\n\r\n\r\nLine two, after a gap.\tTabbed and long enough.' }));
    expect(stored.title).toBe('The [31mred[0m alert');
    expect(stored.abstract).toBe('Line one.\n\nLine two, after a gap. Tabbed and long enough.');
  });

  it('refuses empty, too short and too long fields with FieldErrors naming each field', async () => {
    const problem = async (overrides: Partial<CfpProposal>) => {
      try {
        await store.submit(jane, proposal(overrides));
      } catch (error) {
        if (!(error instanceof FieldErrors)) return error;
        const [[field, message], ...more] = Object.entries(error.errors);
        return more.length === 0 ? { field, message } : error.errors;
      }
      return 'accepted';
    };
    expect(await problem({ speaker: '   ' })).toEqual({ field: 'speaker', message: 'Speaker is required.' });
    expect(await problem({ abstract: 'Too short.' })).toEqual({ field: 'abstract', message: 'Abstract is too short: at least 30 characters, please.' });
    const long = 'x'.repeat(PROPOSAL_FIELDS.title.max + 1);
    expect(await problem({ title: long })).toEqual({ field: 'title', message: `Title is too long: at most ${PROPOSAL_FIELDS.title.max} characters (got ${long.length}).` });
    expect(await store.list(10)).toEqual([]);
  });

  it('takes three proposals per person a day, then says when the next one is possible', async () => {
    for (const [i, title] of ['First talk idea', 'Second talk idea', 'Third talk idea'].entries()) {
      await store.submit(jane, proposal({ title }));
      clock.advance({ hours: i === 0 ? 2 : 1 });
    }
    await expect(store.submit(jane, proposal({ title: 'Fourth talk idea' }))).rejects.toThrow(
      new ArgumentError('You have sent 3 proposals in the last 24 hours, the most we take from one person. You can send the next one in 20 hours.'),
    );
    // Someone else is not affected, nor is Jane on another platform.
    await expect(store.submit({ ...jane, id: 'U0BOB' }, proposal({ title: 'Fourth talk idea' }))).resolves.not.toThrow();
    await expect(store.submit({ ...jane, platform: 'discord' }, proposal({ title: 'Fourth talk idea' }))).resolves.not.toThrow();
    clock.advance({ hours: 20 });
    expect((await store.submit(jane, proposal({ title: 'Fourth talk idea' }))).title).toBe('Fourth talk idea');
  });

  it('recognises the same title sent twice (a double click) instead of storing it again', async () => {
    await store.submit(jane, proposal());
    clock.advance({ minutes: 1 });
    await expect(store.submit(jane, proposal({ title: 'TALES FROM ON-CALL: THE NIGHT DNS DIED' }))).rejects.toThrow(
      'We already have your proposal "Tales from On-call: the night DNS died" from less than an hour ago',
    );
    expect(await store.list(10)).toHaveLength(1);
  });

  it('honours configured limits', async () => {
    const strict = new CfpStore(db, clock, { perUser: 1, windowHours: 1 });
    await strict.submit(jane, proposal());
    await expect(strict.submit(jane, proposal({ title: 'Another one' }))).rejects.toThrow('You have sent 1 proposal in the last hour, the most');
    clock.advance({ minutes: 61 });
    await expect(strict.submit(jane, proposal({ title: 'Another one' }))).resolves.not.toThrow();
  });
});

describe('cleanProposal', () => {
  it('returns one-line fields for everything but the abstract', async () => {
    expect(cleanProposal(proposal({ speaker: 'Jane\nDoe' })).speaker).toBe('Jane Doe');
  });

  it('reports every bad field at once, the call\'s length check included, and reads a good length', () => {
    const call = makeSettings().cfp;
    let thrown: unknown;
    try {
      cleanProposal(proposal({ title: 'x', speaker: ' ', length: '3 hours' }), call);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FieldErrors);
    expect((thrown as FieldErrors).errors).toEqual({
      title: 'Title is too short: at least 5 characters, please.',
      length: 'Please give minutes or a kind of talk: we take talks of 20-45 minutes and lightning talks of 5-8 minutes.',
      speaker: 'Speaker is required.',
    });
    // In the form's order, so a list of problems (Discord, console) reads top to bottom like the form.
    expect(Object.keys((thrown as FieldErrors).errors)).toEqual(['title', 'length', 'speaker']);
    expect((thrown as FieldErrors).message).toBe(Object.values((thrown as FieldErrors).errors).join('\n'));
    expect(cleanProposal(proposal({ length: '30' }), call).length).toBe('Talk, 30 minutes');
  });
});

describe('normaliseLength', () => {
  const call = makeSettings().cfp;
  it.each([
    ['30', 'Talk, 30 minutes'],
    ['25 min', 'Talk, 25 minutes'],
    ['45 minutes', 'Talk, 45 minutes'],
    ['7', 'Lightning talk, 7 minutes'],
    ['Lightning', 'Lightning talk (5-8 minutes)'],
    ['talk', 'Talk (20-45 minutes)'],
    ['Tales from On-call', 'Tales from On-call / Featured Post Mortem'],
    ['post mortem', 'Tales from On-call / Featured Post Mortem'],
  ])('reads %p as %p', (raw, expected) => {
    expect(normaliseLength(raw, call)).toEqual({ value: expected });
  });

  it('refuses minutes outside the ranges and words it cannot read, saying why', async () => {
    expect(normaliseLength('90', call)).toEqual({ problem: '90 minutes does not fit: we take talks of 20-45 minutes and lightning talks of 5-8 minutes.' });
    expect(normaliseLength('about an hour', call)).toEqual({ problem: expect.stringContaining('Please give minutes or a kind of talk') });
    const noLightning = { ...call, lightningMinutes: undefined };
    expect(normaliseLength('lightning', noLightning)).toEqual({ problem: 'This call has no lightning talks: we take talks of 20-45 minutes.' });
  });
});
