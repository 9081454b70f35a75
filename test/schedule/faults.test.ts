import { randomScenario, runTrial, type Scenario } from './faults';

/**
 * Exactly once under faults: the rows of issue 12's table, each as a scenario of its own, then seeded random
 * trials (kill points, faults, lag, deep history, storms, lost state, stopped holders). `npm run soak -- --trials
 * 200` runs many more of the random ones.
 */
const TABLE: [string, Scenario][] = [
  ['chat.postMessage answered 500 after the message was stored', { faults: ['answer-after-storing', 'answer-after-storing'] }],
  ['the connection reset after the message was stored', { faults: ['reset-after-storing', 'ok', 'reset-after-storing'] }],
  ['the answer never came (hang) after the message was stored', { faults: ['hang-after-storing', 'hang-after-storing'] }],
  ['the bot is killed and the platform stores the message only afterwards', { faults: ['stored-after-kill', 'stored-after-kill'], killAfterCalls: 5 }],
  ['the answer was lost (500 after storing) and history shows the post 30 s late', { faults: ['answer-after-storing', 'reset-after-storing'], historyLagMs: 30_000 }],
  ['after a crash, history shows new messages 8 s late', { faults: ['ok'], killAfterCalls: 6, historyLagMs: 8_000 }],
  ['after a crash, 1,100 newer messages in the channel', { faults: ['ok'], killAfterCalls: 7, newerMessages: 1_100 }],
  ['the platforms answer 500 for 2.5 minutes', { faults: [], stormMs: 150_000 }],
  ['the lease holder is stopped for 200 s before an attempt, then continues', { faults: [], stopAtAttempt: 2 }],
  ['the -wal is lost after a kill (the outbox is older than the channels)', { faults: [], killAfterCalls: 8, lostState: true }],
];

describe('exactly once under faults (real adapters against the fakes)', () => {
  it.each(TABLE)('%s: each channel gets the post exactly once', async (_name, scenario) => {
    expect(await runTrial(scenario)).toEqual({ lost: [], duplicated: [] });
  });

  const SEEDS = Array.from({ length: Number(process.env.FAULT_TRIALS ?? 12) }, (_, i) => 1000 + i);
  it.each(SEEDS)('random trial, seed %i', async (seed) => {
    const scenario = randomScenario(seed);
    expect({ seed, scenario, ...(await runTrial(scenario)) }).toEqual({ seed, scenario, lost: [], duplicated: [] });
  });
});

describe('a wall-clock step (32 h ahead for 80 s, then back)', () => {
  it('posts nothing early, then posts on time; a process started after it is not blocked by the lease', async () => {
    const { berlin } = await import('../helpers/events');
    const { startWorld, ANNOUNCE_CHANNELS } = await import('./harness');
    const world = await startWorld({ now: '2026-10-20T12:00' });
    try {
      let step = 0;
      const mono = () => world.clock.now().toMillis() - step;
      const a = world.scheduler({ mono, holderId: 'a' });
      await a.tick(); // the announcement
      world.clock.set(berlin('2026-10-25T09:00')); // (mono follows: time passing, not a step)
      await a.tick();
      world.clock.advance({ hours: 32 }); // Monday 17:00: the reminder (10:00) would be 7 h overdue
      step += 32 * 3600_000;
      for (let i = 0; i < 8; i++) {
        await a.tick();
        world.clock.advance({ seconds: 10 });
      }
      world.clock.advance({ hours: -32 });
      step -= 32 * 3600_000;
      await a.tick();
      for (const channel of ANNOUNCE_CHANNELS) expect(world.keys(channel)).toHaveLength(1);
      await a.stop();
      // Restarted after the step: takes the (released) lease at once and posts the reminder at 10:00 sharp.
      const b = world.scheduler({ mono, holderId: 'b' });
      world.clock.set(berlin('2026-10-26T09:59'));
      expect(await b.tick()).toMatchObject({ ran: true, sent: 0 });
      world.clock.set(berlin('2026-10-26T10:00'));
      expect(await b.tick()).toMatchObject({ ran: true, sent: 3 });
    } finally {
      await world.close();
    }
  });
});
