import { Pacer, type PacerTime } from '../../src/schedule/pacer';

/**
 * Virtual time: sleepers wake in order of their wake-up time, each seeing the clock at exactly that moment;
 * time jumps to the next sleeper once everything runnable has run.
 */
function virtualTime(): PacerTime & { at: number; set(ms: number): void } {
  const sleepers: { at: number; wake: () => void }[] = [];
  let scheduled = false;
  const time = {
    at: 0,
    now: () => time.at,
    set: (ms: number) => void (time.at = ms),
    sleep: (ms: number) =>
      new Promise<void>((wake) => {
        sleepers.push({ at: time.at + ms, wake });
        if (!scheduled) {
          scheduled = true;
          setImmediate(advance);
        }
      }),
  };
  function advance(): void {
    scheduled = false;
    sleepers.sort((a, b) => a.at - b.at);
    const next = sleepers.shift();
    if (!next) return;
    time.at = Math.max(time.at, next.at);
    next.wake();
    if (sleepers.length > 0 && !scheduled) {
      scheduled = true;
      setImmediate(advance);
    }
  }
  return time;
}

describe('Pacer', () => {
  it('spaces posts to one Slack channel, not posts to different channels', async () => {
    const time = virtualTime();
    const pacer = new Pacer({ perChannelMs: { slack: 1_100 }, perSecond: {} }, time);
    const released: string[] = [];
    await Promise.all(
      ['C1', 'C1', 'C2', 'C1'].map(async (channel) => {
        const done = await pacer.wait('slack', channel);
        released.push(`${channel}@${time.at}`);
        done();
      }),
    );
    expect(released).toEqual(['C1@0', 'C2@0', 'C1@1100', 'C1@2200']);
  });

  it('spreads a platform’s requests 1/rate apart', async () => {
    const time = virtualTime();
    const pacer = new Pacer({ perChannelMs: {}, perSecond: { discord: 4 } }, time);
    const at: number[] = [];
    for (let i = 0; i < 4; i++) {
      const done = await pacer.wait('discord', `ch${i}`);
      at.push(time.at);
      done();
    }
    expect(at).toEqual([0, 250, 500, 750]);
  });

  it('never has more than the rate in flight or answered within the last second', async () => {
    const time = virtualTime();
    const pacer = new Pacer({ perChannelMs: {}, perSecond: { discord: 2 } }, time);
    const first = await pacer.wait('discord', 'a');
    const second = await pacer.wait('discord', 'b');
    expect(time.at).toBe(500);

    // Both still in flight (say the adapter holds them back after a 429): a third waits for an answer...
    let third: number | undefined;
    const waiting = pacer.wait('discord', 'c').then((done) => {
      third = time.at;
      return done;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBeUndefined();
    time.set(1_700);
    first(); // answered at 1.7 s: it counts until 2.7 s
    second();
    // ...and then for the answers to be a second old, since the server may have seen them just now.
    (await waiting)();
    expect(third).toBe(2_700);
  });

  it('without limits releases at once', async () => {
    const time = virtualTime();
    const pacer = new Pacer({ perChannelMs: {}, perSecond: {} }, time);
    for (let i = 0; i < 100; i++) (await pacer.wait('discord', 'x'))();
    expect(time.at).toBe(0);
  });
});
