/**
 * The Slack protocol end to end: signed requests into the real Bolt receiver, Socket Mode envelopes, acks,
 * respond() through response_url, modals through views.open, organizer checks. Commands here are small
 * definitions written for these cases (a slow one, an organizer-only subcommand, a form); the real commands
 * are exercised in test/chat/slack-commands.test.ts.
 */
import { makeServices } from '../helpers/services';
import { Catalogue } from '../../src/catalogue/catalogue';
import { message } from '../../src/chat/message';
import { ArgumentError, defineCommand, type CommandDefinition, type CommandServices } from '../../src/commands/definition';
import { signSlackRequest } from '../fakes/slack';
import { contractDispatcher, SIGNING_SECRET, startSlackBot, type SlackBot } from './slack-harness';
import { adminCommand, brokenCommand } from '../helpers/protocol-commands';

const ZWJ = '\u200d';

/** Records the order things happen in, to show the ack comes before the work without timing anything. */
const timeline: string[] = [];
let releaseSlow: () => void = () => undefined;
let releaseSlowSubmit: (() => void) | undefined;
const submissions: Record<string, string>[] = [];
/** Every text the echo command ran with: a refused request must never get here. */
const echoed: string[] = [];

const testCommands = new Map<string, CommandDefinition>(
  [
    defineCommand({
      name: 'echo',
      description: 'Repeats the text',
      options: [{ name: 'text', description: 'what to say', type: 'string', rest: true }],
      run: ({ input }) => {
        echoed.push(String(input.options.text ?? ''));
        return { message: message({ title: 'Echo', intro: [String(input.options.text ?? '')] }) };
      },
    }),
    defineCommand({
      name: 'slow',
      description: 'Takes its time',
      options: [],
      run: async () => {
        timeline.push('work started');
        await new Promise<void>((resolve) => (releaseSlow = resolve));
        timeline.push('work done');
        return { message: message({ intro: ['Finally done'], ephemeral: true }) };
      },
    }),
    brokenCommand,
    adminCommand(),
    defineCommand({
      name: 'form',
      description: 'Opens a form',
      options: [],
      run: () => ({ modal: { id: 'form:submit', title: 'Submit a talk', submitLabel: 'Send', fields: [{ id: 'title', label: 'Title', style: 'short', required: true, maxLength: 100 }] } }),
      onButton: (_ctx, action, arg) => ({ message: message({ intro: [`pressed ${action} ${arg}`] }) }),
      onModalSubmit: async (_ctx, submission) => {
        if (submission.values.title === 'slow') await new Promise<void>((resolve) => (releaseSlowSubmit = resolve));
        if (submission.values.title === 'x') throw new ArgumentError('title: at least 3 characters, please');
        submissions.push(submission.values);
        return message({ title: 'Thanks!', intro: [`We got "${submission.values.title}"`] });
      },
    }),
  ].map((c) => [c.name, c]),
);

const services: CommandServices = makeServices({ catalogue: () => new Catalogue([]) });

describe('SlackChat over HTTP (real Bolt receiver, signed requests)', () => {
  let bot: SlackBot;

  beforeEach(async () => {
    timeline.length = 0;
    submissions.length = 0;
    echoed.length = 0;
    bot = await startSlackBot({
      commands: testCommands,
      dispatcher: contractDispatcher(testCommands, services),
      config: { organizerUserIds: ['U0ORGA'], organizerUsergroup: 'S0ORGS' },
    });
    bot.slack.setUsergroup('S0ORGS', ['U0GROUPIE']);
  });

  afterEach(() => bot.stop());

  /** Sends a signed slash command; a fast answer comes back in the ack's HTTP response body. */
  const slash = (command: string, text: string, overrides: Record<string, string> = {}) => {
    const fields = bot.slack.slashCommandFields(command, text, overrides);
    const sent = bot.slack.sendSlashCommand(bot.eventsUrl, SIGNING_SECRET, fields);
    return { fields, sent, answered: sent.then((res) => ({ body: res.json })) };
  };

  it('answers a signed slash command in the ack: Block Kit and fallback, mentions escaped', async () => {
    const { sent } = slash('echo', 'Hello <!channel> @everyone <@U123> & co');
    const res = await sent;
    expect(res.status).toBe(200);
    const escaped = `Hello &lt;!channel&gt; @${ZWJ}everyone &lt;@U123&gt; &amp; co`;
    expect(res.json).toEqual({
      response_type: 'in_channel',
      text: `Echo\n${escaped}`,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Echo', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: escaped, verbatim: true } },
      ],
    });
    expect(bot.slack.responses).toHaveLength(0);
    expect(bot.slack.messages('C0GENERAL')).toHaveLength(0);
  });

  it('refuses a forged signature with 401 and posts nothing', async () => {
    const fields = bot.slack.slashCommandFields('echo', 'hi');
    const res = await bot.slack.sendSlashCommand(bot.eventsUrl, SIGNING_SECRET, fields, { signature: signSlackRequest('wrong-secret', Math.floor(Date.now() / 1000), 'x') });
    expect(res.status).toBe(401);
    await expectNothingAnswered(bot);
  });

  it('refuses an unsigned request with 401 and posts nothing', async () => {
    const body = new URLSearchParams(bot.slack.slashCommandFields('echo', 'unsigned')).toString();
    const res = await fetch(bot.eventsUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(res.status).toBe(401);
    await expectNothingAnswered(bot);
    expect(echoed).not.toContain('unsigned');
  });

  it("answers Slack's unsigned ssl_check, and nothing smuggled into its body runs", async () => {
    // Bolt reads a form's `payload` field as the whole body, so a command could hide there, unsigned.
    const body = new URLSearchParams({ ssl_check: '1', payload: JSON.stringify(bot.slack.slashCommandFields('echo', 'smuggled')) }).toString();
    const res = await fetch(bot.eventsUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(res.status).toBe(200);
    await expectNothingAnswered(bot);
    expect(echoed).not.toContain('smuggled');
  });

  it('refuses a body changed after signing with 401', async () => {
    const ts = Math.floor(Date.now() / 1000);
    const signedFor = new URLSearchParams(bot.slack.slashCommandFields('echo', 'harmless')).toString();
    const fields = bot.slack.slashCommandFields('echo', 'tampered');
    const res = await bot.slack.sendSlashCommand(bot.eventsUrl, SIGNING_SECRET, fields, { timestamp: ts, signature: signSlackRequest(SIGNING_SECRET, ts, signedFor) });
    expect(res.status).toBe(401);
    await expectNothingAnswered(bot);
  });

  it('refuses a correctly signed but stale request (over 5 minutes old) with 401', async () => {
    const fields = bot.slack.slashCommandFields('echo', 'replayed');
    const res = await bot.slack.sendSlashCommand(bot.eventsUrl, SIGNING_SECRET, fields, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
    await expectNothingAnswered(bot);
  });

  it('refuses a correctly signed request dated more than 5 minutes in the future with 401, like a stale one', async () => {
    const fields = bot.slack.slashCommandFields('echo', 'from the future');
    const res = await bot.slack.sendSlashCommand(bot.eventsUrl, SIGNING_SECRET, fields, { timestamp: Math.floor(Date.now() / 1000) + 6 * 60 });
    expect(res.status).toBe(401);
    await expectNothingAnswered(bot);
    expect(echoed).not.toContain('from the future');
  });

  it('accepts a request dated a little ahead (clock skew within the window)', async () => {
    const fields = bot.slack.slashCommandFields('echo', 'slightly ahead');
    const res = await bot.slack.sendSlashCommand(bot.eventsUrl, SIGNING_SECRET, fields, { timestamp: Math.floor(Date.now() / 1000) + 60 });
    expect(res.status).toBe(200);
    expect(echoed).toContain('slightly ahead');
  });

  it('refuses a replayed signed request (same signature and timestamp) with 401: the command runs once', async () => {
    const fields = bot.slack.slashCommandFields('echo', 'only once');
    const timestamp = Math.floor(Date.now() / 1000);
    const first = await bot.slack.sendSlashCommand(bot.eventsUrl, SIGNING_SECRET, fields, { timestamp });
    const replay = await bot.slack.sendSlashCommand(bot.eventsUrl, SIGNING_SECRET, fields, { timestamp });
    expect(first.status).toBe(200);
    expect(replay.status).toBe(401);
    expect(echoed.filter((t) => t === 'only once')).toHaveLength(1);
  });

  it('refuses a signed form body sent with the wrong content type', async () => {
    const fields = bot.slack.slashCommandFields('echo', 'hi');
    const res = await bot.slack.sendSlashCommand(bot.eventsUrl, SIGNING_SECRET, fields, { contentType: 'text/plain' });
    expect(res.status).toBe(400);
    await expectNothingAnswered(bot);
  });

  it('acks a slow command within the budget, and answers through response_url when the work is done', async () => {
    const { fields, sent } = slash('slow', '');
    const answered = bot.slack.waitForResponse();
    const res = await sent;
    timeline.push('ack received');
    expect(res.status).toBe(200);
    await waitUntil(() => timeline.includes('work started'));
    releaseSlow();
    const response = await answered;
    // Had the adapter worked before acking, `await sent` would never have returned: the work waits for us.
    expect(timeline.indexOf('ack received')).toBeLessThan(timeline.indexOf('work done'));
    expect(timeline).toContain('work started');
    expect(response.path).toBe(new URL(fields.response_url!).pathname);
    expect(response.body).toMatchObject({ response_type: 'ephemeral', text: 'Finally done' });
    expect((await sent).body).toBe('');
  });

  it('refuses an organizer-only subcommand to a member, allows it by user id and by user group', async () => {
    const asMember = slash('admin', 'purge', { user_id: 'U0MEMBER', user_name: 'member' });
    expect((await asMember.answered).body).toMatchObject({ response_type: 'ephemeral', text: '/admin purge is for organizers only.' });

    const byId = slash('admin', 'purge', { user_id: 'U0ORGA', user_name: 'ingo' });
    expect((await byId.answered).body).toMatchObject({ text: 'purge by ingo' });

    const byGroup = slash('admin', 'purge', { user_id: 'U0GROUPIE', user_name: 'danrl' });
    expect((await byGroup.answered).body).toMatchObject({ text: 'purge by danrl' });

    const publicSub = slash('admin', 'status', { user_id: 'U0MEMBER', user_name: 'member' });
    expect((await publicSub.answered).body).toMatchObject({ text: 'status by member' });
    // The group was read once and cached for the burst.
    expect(bot.slack.callsTo('usergroups.users.list')).toHaveLength(1);
  });

  it('shows bad input as a clear ephemeral message', async () => {
    const { answered } = slash('admin', 'explode');
    expect((await answered).body).toMatchObject({ response_type: 'ephemeral', text: 'Unknown subcommand "explode" for /admin. Try one of: status, purge.' });
  });

  it('an unexpected failure still gets a polite ephemeral answer, never silence', async () => {
    const { answered } = slash('broken', '');
    expect((await answered).body).toMatchObject({ response_type: 'ephemeral', text: 'Something went wrong; the organizers have been told.' });
  });

  it('opens a modal with views.open; a submission is handled and confirmed; invalid input shows field errors', async () => {
    const { fields, sent } = slash('form', '');
    expect((await sent).status).toBe(200);
    await waitUntil(() => bot.slack.callsTo('views.open').length === 1);
    const open = bot.slack.callsTo('views.open')[0]!;
    expect(open.params.trigger_id).toBe(fields.trigger_id);
    const view = open.params.view as { callback_id: string; private_metadata: string; blocks: { block_id: string }[] };
    expect(view.callback_id).toBe('form:submit');
    expect(JSON.parse(view.private_metadata)).toEqual({ channel: 'C0GENERAL' });

    const submit = (title: string) =>
      bot.slack.sendInteraction(bot.eventsUrl, SIGNING_SECRET, bot.slack.viewSubmissionPayload(view, { title: { title: { type: 'plain_text_input', value: title } } }));

    const invalid = await submit('x');
    expect(invalid.status).toBe(200);
    expect(invalid.json).toEqual({ response_action: 'errors', errors: { title: 'title: at least 3 characters, please' } });
    expect(submissions).toHaveLength(0);

    const valid = await submit('Tales from On-call <!here>');
    expect(submissions).toEqual([{ title: 'Tales from On-call <!here>' }]);
    expect(valid.json).toMatchObject({ response_action: 'update', view: { type: 'modal', title: { text: 'Submit a talk' } } });
    expect(JSON.stringify(valid.json)).toContain('We got \\"Tales from On-call &lt;!here&gt;\\"');
  });

  it('when views.open fails, the member gets a private error message instead of nothing', async () => {
    bot.slack.fail('views.open', { error: 'expired_trigger_id' });
    const before = bot.slack.responses.length;
    const { sent } = slash('form', '');
    expect((await sent).status).toBe(200);
    const answer = await bot.slack.waitForResponse();
    expect(bot.slack.responses).toHaveLength(before + 1);
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('The form could not be opened') });
  });

  it('a slow submission meets the deadline with a "Submitting…" view and shows the outcome with views.update', async () => {
    await bot.stop();
    bot = await startSlackBot({ commands: testCommands, dispatcher: contractDispatcher(testCommands, services), ackBudgetMs: 0 });
    const view = { callback_id: 'form:submit', private_metadata: '' };
    const res = await bot.slack.sendInteraction(bot.eventsUrl, SIGNING_SECRET, bot.slack.viewSubmissionPayload(view, { title: { title: { type: 'plain_text_input', value: 'slow' } } }));
    expect(JSON.stringify(res.json)).toContain('Submitting… this takes a moment.');
    expect(submissions).toHaveLength(0);
    await waitUntil(() => releaseSlowSubmit !== undefined);
    releaseSlowSubmit!();
    await waitUntil(() => bot.slack.callsTo('views.update').length === 1);
    const update = bot.slack.callsTo('views.update')[0]!;
    expect(update.params.view_id).toBe('V1');
    expect(JSON.stringify(update.params.view)).toContain('We got \\"slow\\"');
    expect(submissions).toEqual([{ title: 'slow' }]);
  });

  it('a button press reaches the command and answers as a new message through response_url', async () => {
    const answered = bot.slack.waitForResponse();
    const res = await bot.slack.sendInteraction(bot.eventsUrl, SIGNING_SECRET, bot.slack.blockActionPayload('form:abstracts:sre-2024', 'Abstracts'));
    expect(res.status).toBe(200);
    expect((await answered).body).toMatchObject({ replace_original: false, text: 'pressed abstracts sre-2024' });
  });
});

describe('SlackChat over Socket Mode', () => {
  let bot: SlackBot;

  beforeEach(async () => {
    bot = await startSlackBot({ commands: testCommands, dispatcher: contractDispatcher(testCommands, services), config: { mode: 'socket' } });
  });

  afterEach(() => bot.stop());

  it('connects with the app token and answers a slash command envelope in its ack', async () => {
    await bot.slack.socketConnected();
    expect(bot.slack.callsTo('apps.connections.open')[0]?.token).toBe('xapp-test-token');
    const ack = await bot.slack.sendEnvelope('slash_commands', bot.slack.slashCommandFields('echo', 'over the socket'));
    expect(ack.envelope_id).toEqual(expect.any(String));
    expect(ack.payload).toMatchObject({ response_type: 'in_channel', text: 'Echo\nover the socket' });
  });

  it('answers a view submission in the envelope ack: field errors, then the confirmation view', async () => {
    submissions.length = 0;
    const view = { callback_id: 'form:submit', private_metadata: JSON.stringify({ channel: 'C0GENERAL' }) };
    const input = (value: string) => ({ title: { title: { type: 'plain_text_input', value } } });
    const invalid = await bot.slack.sendEnvelope('interactive', bot.slack.viewSubmissionPayload(view, input('x')));
    expect(invalid.payload).toEqual({ response_action: 'errors', errors: { title: 'title: at least 3 characters, please' } });
    const valid = await bot.slack.sendEnvelope('interactive', bot.slack.viewSubmissionPayload(view, input('Featured Post Mortem')));
    expect(valid.payload).toMatchObject({ response_action: 'update', view: { type: 'modal' } });
    expect(submissions).toEqual([{ title: 'Featured Post Mortem' }]);
  });

  it('acks a slow command before its work finishes, then answers through response_url', async () => {
    timeline.length = 0;
    const answered = bot.slack.waitForResponse();
    const ack = await bot.slack.sendEnvelope('slash_commands', bot.slack.slashCommandFields('slow', ''));
    timeline.push('ack received');
    await waitUntil(() => timeline.includes('work started'));
    releaseSlow();
    expect((await answered).body).toMatchObject({ text: 'Finally done' });
    expect(ack.payload).toEqual({});
    expect(timeline.indexOf('ack received')).toBeLessThan(timeline.indexOf('work done'));
  });
});



async function expectNothingAnswered(bot: SlackBot): Promise<void> {
  // A valid request afterwards proves the bot is alive and that the refused one never reached the command.
  const probe = await bot.slack.sendSlashCommand(bot.eventsUrl, SIGNING_SECRET, bot.slack.slashCommandFields('echo', 'probe'));
  expect(probe.json).toMatchObject({ text: 'Echo\nprobe' });
  expect(echoed).toEqual(['probe']);
  expect(bot.slack.responses).toHaveLength(0);
  expect(bot.slack.callsTo('chat.postMessage')).toHaveLength(0);
}

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
