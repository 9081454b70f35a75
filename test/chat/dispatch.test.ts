import pino from 'pino';
import { Writable } from 'node:stream';
import { createDispatcher } from '../../src/chat/dispatch';
import { SOMETHING_WENT_WRONG } from '../../src/chat/failure-report';
import { message, richToPlain, toPlainText, type CommandReply, type MessageModel } from '../../src/chat/message';
import { FieldErrors } from '../../src/commands/definition';
import { ArgumentError, defineCommand, type Caller, type CommandDefinition, type CommandInput } from '../../src/commands/definition';
import { commandsTotal } from '../../src/metrics';
import { counterValue } from '../helpers/metrics';
import { makeServices } from '../helpers/services';
import { adminCommand, brokenCommand } from '../helpers/protocol-commands';

const member: Caller = { platform: 'discord', id: '111', name: 'member', isOrganizer: false };
const organizer: Caller = { ...member, id: '222', name: 'orga', isOrganizer: true };

/** Every input a command ran with: a refused or invalid request must never get here. */
const ran: { name: string; input: CommandInput; caller: string }[] = [];

const testCommands = new Map<string, CommandDefinition>(
  [
    defineCommand({
      name: 'echo',
      description: 'Repeats the text',
      options: [
        { name: 'times', description: 'how often', type: 'integer' },
        { name: 'text', description: 'what to say', type: 'string', maxLength: 20, rest: true },
      ],
      run: ({ input, caller }) => {
        ran.push({ name: 'echo', input, caller: caller.name });
        return { message: message({ intro: [String(input.options.text ?? '').repeat(Number(input.options.times ?? 1))] }) };
      },
      autocomplete: (_ctx, option, typed) =>
        option === 'text' ? Array.from({ length: 40 }, (_, i) => ({ name: `${typed} ${'long '.repeat(30)}${i}`, value: `v${i}` })) : [],
    }),
    adminCommand({
      purgeOptions: [{ name: 'days', description: 'how old', type: 'integer', required: true }],
      onRun: ({ input, caller }) => ran.push({ name: 'admin', input, caller: caller.name }),
    }),
    defineCommand({
      name: 'secret',
      description: 'Organizers only, all of it',
      organizerOnly: true,
      options: [],
      run: () => ({ message: message({ intro: ['secret'] }) }),
      onButton: () => ({ message: message({ intro: ['secret button'] }) }),
      onModalSubmit: () => message({ intro: ['secret form'] }),
      autocomplete: () => [{ name: 'hidden', value: 'hidden' }],
    }),
    brokenCommand,
    defineCommand({
      name: 'form',
      description: 'A form',
      options: [],
      run: () => ({ modal: { id: 'form:submit', title: 'Form', submitLabel: 'Send', fields: [{ id: 'title', label: 'Title', style: 'short', required: true, maxLength: 50 }] } }),
      onButton: (_ctx, action, arg) => ({ message: message({ intro: [`pressed ${action} with ${arg}`] }) }),
      onModalSubmit: (_ctx, { purpose, values }) => {
        if (values.title === 'short') throw new FieldErrors({ title: 'Title is too short.' });
        if (values.title === 'two') throw new FieldErrors({ title: 'Title is too short.', abstract: 'Abstract is required.' });
        if (values.title === 'prefixed') throw new ArgumentError('title: at least 3 characters, please');
        if (values.title === 'limit') throw new ArgumentError('You have sent 3 proposals today.');
        if (values.title === 'crash') throw new TypeError('cannot read properties of undefined');
        return message({ intro: [`${purpose}: ${values.title}`], ephemeral: true });
      },
    }),
  ].map((c) => [c.name, c]),
);

function setup(notify: (m: MessageModel) => Promise<void> = async () => undefined) {
  const logged: { level: number; msg: string; command?: string; err?: { message: string } }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logged.push(JSON.parse(chunk.toString('utf8')));
      done();
    },
  });
  const notified: MessageModel[] = [];
  const services = makeServices({
    notifyOrganizers: async (m) => {
      notified.push(m);
      await notify(m);
    },
  });
  const dispatcher = createDispatcher(testCommands, services, pino({ level: 'warn' }, sink));
  return { dispatcher, logged, notified };
}

const text = (reply: CommandReply | MessageModel): string => toPlainText('message' in reply ? reply.message : 'modal' in reply ? message({}) : reply);
const isEphemeral = (reply: CommandReply): boolean => 'message' in reply && reply.message.ephemeral === true;

const count = (labels: { platform: string; command: string; outcome: string }): Promise<number> => counterValue(commandsTotal, labels);

beforeEach(() => {
  ran.length = 0;
});

describe('createDispatcher: free text (Slack, console)', () => {
  it('parses the text into options and runs the command', async () => {
    const { dispatcher } = setup();
    const reply = await dispatcher.runText('echo', '2 hi ', member);
    expect(text(reply)).toBe('hihi');
    expect(ran).toEqual([{ name: 'echo', input: { subcommand: undefined, options: { times: 2, text: 'hi' } }, caller: 'member' }]);
  });

  it('answers an unknown command with a pointer to /help', async () => {
    const { dispatcher } = setup();
    const reply = await dispatcher.runText('nope', '', member);
    expect(text(reply)).toBe('Unknown command /nope. Try /help');
    expect(isEphemeral(reply)).toBe(true);
  });

  it('refuses organizer-only subcommands and commands to members, before running anything', async () => {
    const { dispatcher } = setup();
    expect(text(await dispatcher.runText('admin', 'purge 30', member))).toBe('/admin purge is for organizers only.');
    expect(text(await dispatcher.runText('secret', '', member))).toBe('/secret is for organizers only.');
    // Not "got more than it takes": a member learns nothing about an organizers' command's syntax.
    expect(text(await dispatcher.runText('secret', 'with arguments it does not take', member))).toBe('/secret is for organizers only.');
    expect(ran).toEqual([]);
    expect(text(await dispatcher.runText('admin', 'status', member))).toBe('status by member');
    expect(text(await dispatcher.runText('admin', 'purge 30', organizer))).toBe('purge by orga');
    expect(text(await dispatcher.runText('secret', '', organizer))).toBe('secret');
  });

  it('turns bad input into an ephemeral explanation', async () => {
    const { dispatcher } = setup();
    const tooLong = await dispatcher.runText('echo', '1 this text is far too long for echo', member);
    expect(text(tooLong)).toBe('text is too long for /echo: at most 20 characters, got 34.');
    expect(isEphemeral(tooLong)).toBe(true);
    expect(text(await dispatcher.runText('echo', 'twice hi', member))).toBe('times must be a whole number, got "twice".');
    expect(text(await dispatcher.runText('admin', 'explode', organizer))).toBe('Unknown subcommand "explode" for /admin. Try one of: status, purge.');
    expect(ran).toEqual([]);
  });

  it('answers an unexpected failure politely, logs it and tells the organizers', async () => {
    const { dispatcher, logged, notified } = setup();
    const reply = await dispatcher.runText('broken', '', member);
    expect(text(reply)).toBe(SOMETHING_WENT_WRONG);
    expect(isEphemeral(reply)).toBe(true);
    expect(logged).toEqual([expect.objectContaining({ level: 50, msg: 'command failed', command: 'broken', err: expect.objectContaining({ message: 'database is locked' }) })]);
    expect(notified).toHaveLength(1);
    expect(notified[0]!.title).toBe('A command failed');
    expect(notified[0]!.fields.map((f) => [f.name, richToPlain(f.value)])).toEqual([
      ['Command', '/broken'],
      ['Who', 'member on discord'],
      ['Error', 'Error: database is locked'],
    ]);
  });

  it('still answers when telling the organizers fails too', async () => {
    const { dispatcher, logged } = setup(async () => {
      throw new Error('organizers channel not found');
    });
    expect(text(await dispatcher.runText('broken', '', member))).toBe(SOMETHING_WENT_WRONG);
    await new Promise((resolve) => setImmediate(resolve));
    expect(logged.map((l) => l.msg)).toEqual(['command failed', 'could not tell the organizers about a failed command']);
  });

  it('counts every answer by platform, command and outcome', async () => {
    const { dispatcher } = setup();
    const before = {
      ok: await count({ platform: 'discord', command: 'echo', outcome: 'ok' }),
      invalid: await count({ platform: 'discord', command: 'echo', outcome: 'invalid' }),
      refused: await count({ platform: 'discord', command: 'secret', outcome: 'refused' }),
      error: await count({ platform: 'discord', command: 'broken', outcome: 'error' }),
      unknown: await count({ platform: 'discord', command: 'unknown', outcome: 'unknown' }),
    };
    await dispatcher.runText('echo', '1 hi', member);
    await dispatcher.runText('echo', '1 ' + 'x'.repeat(30), member);
    await dispatcher.runText('secret', '', member);
    await dispatcher.runText('broken', '', member);
    await dispatcher.runText('made-up-by-a-user', '', member);
    expect(await count({ platform: 'discord', command: 'echo', outcome: 'ok' })).toBe(before.ok + 1);
    expect(await count({ platform: 'discord', command: 'echo', outcome: 'invalid' })).toBe(before.invalid + 1);
    expect(await count({ platform: 'discord', command: 'secret', outcome: 'refused' })).toBe(before.refused + 1);
    expect(await count({ platform: 'discord', command: 'broken', outcome: 'error' })).toBe(before.error + 1);
    // Names users make up are not labels: they would grow the metric without bound.
    expect(await count({ platform: 'discord', command: 'unknown', outcome: 'unknown' })).toBe(before.unknown + 1);
    expect(await count({ platform: 'discord', command: 'made-up-by-a-user', outcome: 'unknown' })).toBe(0);
  });
});

describe('createDispatcher: typed options (Discord)', () => {
  it('runs with the options as given', async () => {
    const { dispatcher } = setup();
    expect(text(await dispatcher.run('echo', { options: { text: 'ok', times: 3 } }, member))).toBe('okokok');
    expect(text(await dispatcher.run('admin', { subcommand: 'purge', options: { days: 3 } }, organizer))).toBe('purge by orga');
  });

  it('checks options as strictly as the text path: types, sizes, unknown names, required ones', async () => {
    const { dispatcher } = setup();
    const answers = await Promise.all([
      dispatcher.run('echo', { options: { text: 'x'.repeat(21) } }, member),
      dispatcher.run('echo', { options: { times: 1.5 } }, member),
      dispatcher.run('echo', { options: { times: '2' } }, member),
      dispatcher.run('echo', { options: { volume: 11 } }, member),
      dispatcher.run('admin', { subcommand: 'purge', options: {} }, organizer),
      dispatcher.run('admin', { subcommand: 'explode', options: {} }, organizer),
    ]);
    expect(answers.map(text)).toEqual([
      'text is too long for /echo: at most 20 characters, got 21.',
      'times for /echo must be a whole number.',
      'times for /echo must be a whole number.',
      '/echo does not take volume.',
      '/admin needs days: how old',
      'Unknown subcommand "explode" for /admin.',
    ]);
    expect(answers.every(isEphemeral)).toBe(true);
    expect(ran).toEqual([]);
  });

  it('refuses an organizer-only subcommand to a member', async () => {
    const { dispatcher } = setup();
    expect(text(await dispatcher.run('admin', { subcommand: 'purge', options: { days: 1 } }, member))).toBe('/admin purge is for organizers only.');
    expect(ran).toEqual([]);
  });
});

describe('createDispatcher: autocomplete, buttons, forms', () => {
  it('passes the typed text to the command and its completions back', () => {
    const { dispatcher } = setup();
    const choices = dispatcher.autocomplete('echo', 'text', 'ab', member);
    expect(choices).toHaveLength(40);
    expect(choices[0]!.name.startsWith('ab long')).toBe(true);
    expect(choices[0]!.value).toBe('v0');
  });

  it('offers nothing for unknown commands, organizer-only commands to members, or when completion fails', () => {
    const { dispatcher, logged } = setup();
    expect(dispatcher.autocomplete('nope', 'x', '', member)).toEqual([]);
    expect(dispatcher.autocomplete('secret', 'x', '', member)).toEqual([]);
    expect(dispatcher.autocomplete('secret', 'x', '', organizer)).toEqual([{ name: 'hidden', value: 'hidden' }]);
    expect(dispatcher.autocomplete('broken', 'x', '', member)).toEqual([]);
    expect(logged.map((l) => l.msg)).toEqual(['autocomplete failed']);
  });

  it('routes a button to its command with the action and the rest of the id as argument', async () => {
    const { dispatcher } = setup();
    expect(text(await dispatcher.button('form:abstracts:sre-2024', member))).toBe('pressed abstracts with sre-2024');
    expect(text(await dispatcher.button('form:open:a:b', member))).toBe('pressed open with a:b');
    expect(text(await dispatcher.button('form:open', member))).toBe('pressed open with');
    expect(text(await dispatcher.button('gone:abstracts:x', member))).toBe('That button no longer does anything. Try /help for what the bot can do.');
    expect(text(await dispatcher.button('secret:x:y', member))).toBe('/secret is for organizers only.');
  });

  it('turns form problems into field errors when they name a field, and into a message otherwise', async () => {
    const { dispatcher, notified } = setup();
    const submit = (title: string) => dispatcher.modalSubmit('form:submit', { title }, member);
    expect(await submit('short')).toEqual({ errors: { title: 'Title is too short.' } });
    expect(await submit('two')).toEqual({ errors: { title: 'Title is too short.', abstract: 'Abstract is required.' } });
    expect(await submit('prefixed')).toEqual({ errors: { title: 'title: at least 3 characters, please' } });
    expect(await submit('limit')).toMatchObject({ intro: ['You have sent 3 proposals today.'], ephemeral: true });
    expect(await submit('crash')).toMatchObject({ intro: [SOMETHING_WENT_WRONG], ephemeral: true });
    expect(notified).toHaveLength(1);
    expect(await submit('Featured Post Mortem')).toMatchObject({ intro: ['submit: Featured Post Mortem'] });
    expect(await dispatcher.modalSubmit('gone:submit', {}, member)).toMatchObject({ intro: ['This form is no longer in use. Try /help for what the bot can do.'] });
    expect(await dispatcher.modalSubmit('secret:x', {}, member)).toMatchObject({ intro: ['/secret is for organizers only.'] });
  });
});
