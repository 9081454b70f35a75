/**
 * `npm start` on a fresh clone with no credentials: the console chat on stdin/stdout, feeds on HTTP_PORT.
 */
import { healthz, MEETUP_TITLE, startBot, type BotProcess } from './harness';

let bot: BotProcess | undefined;
afterEach(() => {
  bot?.cleanup();
  bot = undefined;
});

describe('npm start with no credentials (the console chat)', () => {
  it('answers /agenda, prints the announcement it would post, answers /healthz and stops cleanly on SIGTERM', async () => {
    bot = await startBot();
    await bot.waitFor('sremuc-bot console');
    bot.write('/agenda');
    await bot.waitFor('19:00  Talk 1: Running the bot for real');
    expect(bot.stdout()).toContain(MEETUP_TITLE);
    await bot.waitFor(`[post to #announcements]`);
    expect(bot.stdout()).toContain(`The next SRE Munich meetup is on! ${MEETUP_TITLE}`);
    expect((await healthz(bot)).status).toBe(200);
    expect(await bot.terminate()).toEqual({ code: 0, signal: null });
    // Logs stay on stderr, off the chat.
    expect(bot.stdout()).not.toContain('"level"');
  });

  it('ends on end of input (Ctrl-D) with exit 0, suggests a command for a typo and warns about a misspelt variable', async () => {
    bot = await startBot({ SLACK_BOT_TOKN: 'xoxb-typo' });
    bot.write('/agnda');
    bot.endInput();
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(bot.stdout()).toContain('Unknown command /agnda. Did you mean /agenda? Try /help');
    expect(bot.stderr()).toContain('SLACK_BOT_TOKN is not a variable sremuc-bot reads: did you mean SLACK_BOT_TOKEN?');
    expect(bot.stderr()).toContain('"reason":"end of input"');
  });

  it('stops with a message naming the variable when one is wrong', async () => {
    bot = await startBot({ HTTP_PORT: 'eighty' }, { until: 'spawned' });
    expect(await bot.exited).toEqual({ code: 2, signal: null });
    expect(bot.stderr()).toContain('HTTP_PORT');
    expect(bot.stdout()).toBe('');
  });
});
