/**
 * The Discord protocol end to end: the real discord.js client logs in to the fake gateway, receives
 * INTERACTION_CREATE and answers through interaction callbacks and webhooks, driven by the real dispatcher.
 * Commands here are small definitions written for these cases (a slow one, organizer-only parts, a form).
 */
import { message, time } from '../../src/chat/message';
import { ArgumentError, defineCommand, type CommandDefinition } from '../../src/commands/definition';
import { DiscordChat } from '../../src/chat/discord/adapter';
import { makeServices } from '../helpers/services';
import { berlin } from '../helpers/events';
import { PERMISSIONS } from '../fakes/discord';
import { capturingLogger, discordConfig, ORGANIZER_ROLE, startDiscordBot, waitUntil, type DiscordBot } from './discord-harness';
import { adminCommand, brokenCommand } from '../helpers/protocol-commands';

const ZWJ = '\u200d';
const timeline: string[] = [];
let releaseSlow: () => void = () => undefined;
const submissions: Record<string, string>[] = [];
const ran: { command: string; input: unknown; organizer: boolean; name: string }[] = [];

const commands = new Map<string, CommandDefinition>(
  [
    defineCommand({
      name: 'echo',
      description: 'Repeats the text',
      options: [
        { name: 'text', description: 'what to say', type: 'string', required: true, maxLength: 200 },
        { name: 'times', description: 'how often', type: 'integer' },
        { name: 'loud', description: 'shout it', type: 'boolean' },
      ],
      run: ({ input, caller }) => {
        ran.push({ command: 'echo', input, organizer: caller.isOrganizer, name: caller.name });
        return { message: message({ title: 'Echo', intro: [String(input.options.text)], footer: ['at ', time(berlin('2024-07-10T18:30'), 'time')] }) };
      },
    }),
    defineCommand({
      name: 'slow',
      description: 'Takes its time',
      options: [{ name: 'private', description: 'answer privately', type: 'boolean' }],
      run: async ({ input }) => {
        timeline.push('work started');
        await new Promise<void>((resolve) => (releaseSlow = resolve));
        timeline.push('work done');
        return { message: message({ title: 'Finally', intro: ['done'], ephemeral: input.options.private === true }) };
      },
    }),
    brokenCommand,
    adminCommand({
      purgeOptions: [{ name: 'days', description: 'older than', type: 'integer', required: true }],
      onRun: ({ input, caller }) => ran.push({ command: 'admin', input, organizer: caller.isOrganizer, name: caller.name }),
    }),
    defineCommand({
      name: 'bigform',
      description: 'A form Discord cannot show',
      options: [],
      run: () => ({ modal: { id: 'form:big', title: 'Too many fields', submitLabel: 'Send', fields: ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ id, label: id, style: 'short' as const, required: false, maxLength: 10 })) } }),
    }),
    defineCommand({
      name: 'organizers',
      description: 'Only for organizers',
      organizerOnly: true,
      options: [],
      run: () => ({ message: message({ intro: ['secret stuff'], ephemeral: true }) }),
    }),
    defineCommand({
      name: 'pick',
      description: 'Pick an event',
      options: [{ name: 'event', description: 'which', type: 'string', autocomplete: true }],
      run: ({ input }) => ({ message: message({ intro: [`picked ${String(input.options.event)}`] }) }),
      autocomplete: (_ctx, option, typed) =>
        ['sre-munich-summer-event-2024', 'sre-munich-2023-06', 'celonis-2024']
          .filter((id) => option === 'event' && id.includes(typed))
          .map((id) => ({ name: `Event ${id}`, value: id })),
    }),
    defineCommand({
      name: 'form',
      description: 'Opens a form',
      options: [],
      run: () => ({ message: message({ title: 'Talks', intro: ['Propose one'], buttons: [{ id: 'form:open', label: 'Submit a talk' }, { id: 'form:abstracts:sre-2024', label: 'Abstracts' }] }) }),
      onButton: (_ctx, action, arg) =>
        action === 'open'
          ? { modal: { id: 'form:submit', title: 'Submit a talk', submitLabel: 'Send', fields: [{ id: 'title', label: 'Title', style: 'short', required: true, maxLength: 100 }, { id: 'abstract', label: 'Abstract', style: 'paragraph', required: false, maxLength: 2000 }] } }
          : { message: message({ intro: [`pressed ${action} ${arg}`] }) },
      onModalSubmit: (_ctx, submission) => {
        if (submission.values.title === 'x') throw new ArgumentError('title: at least 3 characters, please');
        submissions.push(submission.values);
        return message({ title: 'Thanks!', intro: [`We got "${submission.values.title}"`], ephemeral: true });
      },
    }),
  ].map((c) => [c.name, c]),
);

const member = { id: '1400000000000000007', username: 'ingo', globalName: 'Ingo' };

describe('DiscordChat (real discord.js client against the fake Discord)', () => {
  let bot: DiscordBot;

  beforeEach(async () => {
    timeline.length = 0;
    submissions.length = 0;
    ran.length = 0;
    bot = await startDiscordBot({ commands, services: makeServices() });
  });

  afterEach(() => bot.stop());

  it('logs in: gateway IDENTIFY with only the Guilds intent, READY, the guild from GUILD_CREATE', () => {
    expect(bot.discord.gateway).toMatchObject({ identifies: 1, resumes: 0, intents: 1 });
    expect(bot.chat.session(0)?.user?.id).toBe(bot.discord.botUser.id);
    expect(bot.chat.session(0)?.guilds.cache.has(bot.discord.guildId)).toBe(true);
    // The registered commands match commands/: no warning to redeploy.
    expect(bot.logs.filter((l) => String(l.msg).includes('deploy-commands'))).toEqual([]);
  });

  it('answers a slash command with one callback: embed, mentions neutralised, allowed_mentions empty', async () => {
    const hostile = 'Hello @everyone <@123> **now**';
    const handle = bot.discord.dispatchInteraction({ kind: 'command', name: 'echo', options: { text: hostile, times: 2, loud: true }, member });
    const callback = await handle.firstCallback;
    expect(callback.type).toBe(4);
    expect(callback.data).toMatchObject({
      content: '',
      embeds: [{ title: 'Echo', description: `Hello @${ZWJ}everyone \\<@123> \\*\\*now\\*\\*`, footer: { text: 'at 18:30' } }],
      allowed_mentions: { parse: [] },
    });
    expect(handle.state.callbacks).toHaveLength(1);
    expect(handle.state.original?.pings).toEqual([]);
    expect(ran).toEqual([{ command: 'echo', input: { options: { text: hostile, times: 2, loud: true } }, organizer: false, name: 'Ingo' }]);
  });

  it('passes subcommands and their options; organizer-only subcommands are refused to members', async () => {
    const refused = await bot.discord.dispatchInteraction({ kind: 'command', name: 'admin', subcommand: 'purge', options: { days: 30 }, member }).firstCallback;
    expect(refused.data).toMatchObject({ content: '/admin purge is for organizers only.', flags: 64 });
    expect(ran).toEqual([]);

    const status = await bot.discord.dispatchInteraction({ kind: 'command', name: 'admin', subcommand: 'status', member }).firstCallback;
    expect(status.data).toMatchObject({ content: 'status by Ingo', flags: 64 });
    expect(ran[0]?.input).toEqual({ subcommand: 'status', options: {} });
  });

  it('counts the organizer role and Manage Events (or Administrator) as organizer rights', async () => {
    const asRole = bot.discord.dispatchInteraction({ kind: 'command', name: 'admin', subcommand: 'purge', options: { days: 30 }, member: { ...member, roles: [ORGANIZER_ROLE] } });
    expect((await asRole.firstCallback).data).toMatchObject({ content: 'purge by Ingo' });
    const asManager = bot.discord.dispatchInteraction({ kind: 'command', name: 'organizers', member: { id: '1400000000000000008', nick: 'danrl', permissions: PERMISSIONS.ManageEvents } });
    expect((await asManager.firstCallback).data).toMatchObject({ content: 'secret stuff' });
    const asAdmin = bot.discord.dispatchInteraction({ kind: 'command', name: 'organizers', member: { id: '1400000000000000009', permissions: PERMISSIONS.Administrator } });
    expect((await asAdmin.firstCallback).data).toMatchObject({ content: 'secret stuff' });
    const asMember = bot.discord.dispatchInteraction({ kind: 'command', name: 'organizers', member: { ...member, roles: ['1500000000000000999'] } });
    expect((await asMember.firstCallback).data).toMatchObject({ content: '/organizers is for organizers only.', flags: 64 });
    // Discord hides the whole command from members without Manage Events.
    expect(bot.discord.registeredCommands(bot.discord.guildId).find((c) => c.name === 'organizers')?.default_member_permissions).toBe(String(PERMISSIONS.ManageEvents));
  });

  it('autocomplete answers with choices for what is typed', async () => {
    const callback = await bot.discord.dispatchInteraction({ kind: 'autocomplete', name: 'pick', options: { event: '2024' }, focused: 'event', member }).firstCallback;
    expect(callback).toMatchObject({
      type: 8,
      data: { choices: [{ name: 'Event sre-munich-summer-event-2024', value: 'sre-munich-summer-event-2024' }, { name: 'Event celonis-2024', value: 'celonis-2024' }] },
    });
  });

  it('a button press on a message reaches the command and answers with a new message', async () => {
    await bot.discord.dispatchInteraction({ kind: 'command', name: 'form', member }).firstCallback;
    const press = bot.discord.dispatchInteraction({ kind: 'button', customId: 'form:abstracts:sre-2024', member });
    expect(await press.firstCallback).toMatchObject({ type: 4, data: { content: 'pressed abstracts sre-2024' } });
  });

  it('a button opens a modal; a valid submission is confirmed privately', async () => {
    await bot.discord.dispatchInteraction({ kind: 'command', name: 'form', member }).firstCallback;
    const open = bot.discord.dispatchInteraction({ kind: 'button', customId: 'form:open', member });
    const shown = await open.firstCallback;
    expect(shown).toMatchObject({ type: 9, data: { custom_id: 'form:submit', title: 'Submit a talk' } });
    expect((shown.data?.components as unknown[])[0]).toEqual({ type: 18, label: 'Title', component: { type: 4, custom_id: 'title', style: 1, required: true, max_length: 100 } });

    const submit = bot.discord.dispatchInteraction({ kind: 'modalSubmit', fromModal: open.id, values: { title: 'Tales from On-call <@&1>', abstract: 'The night the pager rang' }, member });
    expect(await submit.firstCallback).toMatchObject({ type: 4, data: { embeds: [{ title: 'Thanks!', description: 'We got "Tales from On-call \\<@&1>"' }], flags: 64 } });
    expect(submissions).toEqual([{ title: 'Tales from On-call <@&1>', abstract: 'The night the pager rang' }]);
  });

  it('a submission with problems lists them privately and the form reopens holding what was typed', async () => {
    await bot.discord.dispatchInteraction({ kind: 'command', name: 'form', member }).firstCallback;
    const open = bot.discord.dispatchInteraction({ kind: 'button', customId: 'form:open', member });
    await open.firstCallback;
    const submit = bot.discord.dispatchInteraction({ kind: 'modalSubmit', fromModal: open.id, values: { title: 'x', abstract: 'A long abstract I do not want to type again' }, member });
    const problems = await submit.firstCallback;
    expect(problems.data).toMatchObject({ content: '**Please check the form:**\n• title: at least 3 characters, please', flags: 64 });
    expect(submissions).toEqual([]);
    const retryId = ((problems.data?.components as { components: { custom_id: string }[] }[])[0]!.components[0]!).custom_id;

    const stranger = bot.discord.dispatchInteraction({ kind: 'button', customId: retryId, member: { id: '1400000000000000666' } });
    expect(await stranger.firstCallback).toMatchObject({ type: 4, data: { content: 'This form has expired. Please start again with the command.', flags: 64 } });

    const reopen = bot.discord.dispatchInteraction({ kind: 'button', customId: retryId, member });
    const reopened = await reopen.firstCallback;
    expect(reopened.type).toBe(9);
    expect(reopened.data?.components).toMatchObject([
      { component: { custom_id: 'title', value: 'x' } },
      { component: { custom_id: 'abstract', value: 'A long abstract I do not want to type again' } },
    ]);
    const again = bot.discord.dispatchInteraction({ kind: 'modalSubmit', fromModal: reopen.id, values: { title: 'Better title', abstract: 'A long abstract I do not want to type again' }, member });
    expect((await again.firstCallback).data).toMatchObject({ embeds: [{ title: 'Thanks!' }] });
    expect(submissions).toEqual([{ title: 'Better title', abstract: 'A long abstract I do not want to type again' }]);
  });

  it('defers a slow command within the budget, then edits the answer in', async () => {
    const handle = bot.discord.dispatchInteraction({ kind: 'command', name: 'slow', member });
    const first = await handle.firstCallback;
    timeline.push('deferred');
    expect(first).toMatchObject({ type: 5, data: { flags: 0 } });
    await waitUntil(() => timeline.includes('work started'), 'the command to start');
    releaseSlow();
    await waitUntil(() => bot.discord.requestsTo('PATCH', /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/).length === 1, 'the edit');
    // The deferral was sent while the work was still blocked on us: it cannot have waited for the work.
    expect(timeline.indexOf('deferred')).toBeLessThan(timeline.indexOf('work done'));
    expect(handle.state.original).toMatchObject({ embeds: [{ title: 'Finally', description: 'done' }], flags: 0 });
    expect(handle.state.callbacks).toHaveLength(1);
  });

  it('a slow answer that must be private replaces the public placeholder with a private follow-up', async () => {
    const handle = bot.discord.dispatchInteraction({ kind: 'command', name: 'slow', options: { private: true }, member });
    expect((await handle.firstCallback).type).toBe(5);
    await waitUntil(() => timeline.includes('work started'));
    releaseSlow();
    await waitUntil(() => handle.state.followUps.length === 1, 'the follow-up');
    expect(handle.state.originalDeleted).toBe(true);
    expect(handle.state.followUps[0]).toMatchObject({ flags: 64, embeds: [{ title: 'Finally' }] });
    expect(bot.discord.messages(bot.discord.interaction(handle.id).payload.channel_id as string).filter((m) => m.interactionId === handle.id)).toEqual([]);
  });

  it('an unexpected failure gets a polite private answer, never silence', async () => {
    const callback = await bot.discord.dispatchInteraction({ kind: 'command', name: 'broken', member }).firstCallback;
    expect(callback.data).toMatchObject({ content: 'Something went wrong; the organizers have been told.', flags: 64 });
  });

  it('an answer that cannot be sent (a form with six fields) is replaced by a polite private answer', async () => {
    const callback = await bot.discord.dispatchInteraction({ kind: 'command', name: 'bigform', member }).firstCallback;
    expect(callback).toMatchObject({ type: 4, data: { content: 'Something went wrong; the organizers have been told.', flags: 64 } });
    expect(bot.logs.some((l) => l.msg === 'discord interaction could not be answered')).toBe(true);
  });

  it('resumes after a gateway disconnect and answers what arrived meanwhile', async () => {
    bot.discord.disconnect(4000);
    const during = bot.discord.dispatchInteraction({ kind: 'command', name: 'echo', options: { text: 'while away' }, member });
    expect((await during.firstCallback).data).toMatchObject({ embeds: [{ description: 'while away' }] });
    expect(bot.discord.gateway).toMatchObject({ identifies: 1, resumes: 1 });
    const after = bot.discord.dispatchInteraction({ kind: 'command', name: 'echo', options: { text: 'back again' }, member });
    expect((await after.firstCallback).data).toMatchObject({ embeds: [{ description: 'back again' }] });
  });

  it('in a direct message nobody is an organizer', async () => {
    const dm = bot.discord.dispatchInteraction({ kind: 'command', name: 'echo', options: { text: 'hi' }, member: { ...member, permissions: PERMISSIONS.Administrator }, dm: true });
    await dm.firstCallback;
    expect(ran[0]).toMatchObject({ organizer: false, name: 'Ingo' });
  });
});

describe('DiscordChat start-up and other servers', () => {
  it('organizer rights from another server that added the bot count for nothing', async () => {
    const bot = await startDiscordBot({ commands, services: makeServices(), config: { guildId: '1200000000000000999' } });
    try {
      const handle = bot.discord.dispatchInteraction({ kind: 'command', name: 'organizers', member: { ...member, permissions: PERMISSIONS.ManageEvents, roles: [ORGANIZER_ROLE] } });
      expect((await handle.firstCallback).data).toMatchObject({ content: '/organizers is for organizers only.' });
    } finally {
      await bot.stop();
    }
  });

  it('warns when the registered commands differ from commands/', async () => {
    const bot = await startDiscordBot({ commands, services: makeServices(), skipDeploy: true });
    try {
      const warning = bot.logs.find((l) => String(l.msg).includes('npm run deploy-commands'));
      expect(warning).toMatchObject({ level: 40 });
      expect(warning?.missing).toContain('echo(loud[],text[],times[])');
    } finally {
      await bot.stop();
    }
  });

  it('start() fails with a clear error when the token is rejected', async () => {
    const bot = await startDiscordBot({ commands, services: makeServices() });
    const { log } = capturingLogger();
    const wrong = new DiscordChat({ config: discordConfig(bot.discord, { token: 'revoked' }), commands, dispatcher: { run: jest.fn(), autocomplete: jest.fn(), button: jest.fn(), modalSubmit: jest.fn() }, log, restOptions: { retries: 0 } });
    try {
      // Named by its variable, so the operator knows which token to replace.
      await expect(wrong.start()).rejects.toThrow(/^DISCORD_TOKEN: Discord rejected the token/);
    } finally {
      await wrong.stop();
      await bot.stop();
    }
  });
});
