import { PassThrough } from 'node:stream';
import { ConsoleChat } from '../../src/chat/console/console';
import { message, type CommandReply, type MessageModel } from '../../src/chat/message';
import type { Caller } from '../../src/commands/definition';
import type { ModalOutcome } from '../../src/chat/dispatch';
import { commands, consoleSession, makeWorld } from '../commands/world';

/** A console wired to a scripted dispatcher, for what the real commands cannot easily provoke. */
async function scripted(lines: string[], dispatcher: { runText?: (name: string, text: string, caller: Caller) => Promise<CommandReply>; modalSubmit?: (id: string, values: Record<string, string>) => Promise<ModalOutcome>; prompt?: boolean }) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (c: Buffer) => (printed += c.toString('utf8')));
  const chat = new ConsoleChat({
    input,
    output,
    commands,
    prompt: dispatcher.prompt,
    dispatcher: {
      runText: dispatcher.runText ?? (async () => ({ message: message({ intro: ['ok'] }) })),
      button: async () => ({ message: message({ intro: ['pressed'] }) }),
      modalSubmit: dispatcher.modalSubmit ?? (async () => message({ intro: ['sent'] })),
    },
  });
  await chat.start();
  input.end(lines.map((l) => `${l}\n`).join(''));
  await chat.finished();
  return { printed, chat };
}

describe('ConsoleChat', () => {
  it('greets, answers unknown commands with a pointer to /help, and ignores blank lines', async () => {
    const out = await consoleSession(makeWorld(), ['', '   ', '/dance now', 'next']);
    expect(out.split('\n')[0]).toBe('sremuc-bot console: type /help for the commands, /agenda for the next meetup, Ctrl-D to quit.');
    expect(out).toContain('Unknown command /dance. Try /help');
    expect(out).toContain('Next: SRE Munich at Celonis 2024');
  });

  it('suggests the command a typo was probably meant to be', async () => {
    const out = await consoleSession(makeWorld(), ['/agnda', 'subscrbe', '/xyz']);
    expect(out).toContain('Unknown command /agnda. Did you mean /agenda? Try /help');
    expect(out).toContain('Unknown command /subscrbe. Did you mean /subscribe? Try /help');
    expect(out).toContain('Unknown command /xyz. Try /help');
  });

  it('shows a prompt before each command on a terminal, and none when input is piped', async () => {
    const withPrompt = await scripted(['/agenda', '/agenda'], { prompt: true });
    expect(withPrompt.printed).toBe(
      'sremuc-bot console: type /help for the commands, /agenda for the next meetup, Ctrl-D to quit.\nsremuc> ok\nsremuc> ok\nsremuc> ',
    );
    const piped = await scripted(['/agenda'], {});
    expect(piped.printed).not.toContain('sremuc>');
  });

  it('runs commands as the operator, an organizer', async () => {
    const callers: Caller[] = [];
    await scripted(['/agenda last'], {
      runText: async (_name, _text, caller) => {
        callers.push(caller);
        return { message: message({ intro: ['ok'] }) };
      },
    });
    expect(callers).toEqual([{ platform: 'console', id: 'console', name: 'operator', isOrganizer: true, channel: 'console' }]);
  });

  it('explains a button that is not there', async () => {
    const out = await consoleSession(makeWorld(), ['[Abstracts]', '/agenda', '[Dance]']);
    expect(out).toContain('There is no button to press.');
    expect(out).toContain('No button "Dance" here. Buttons: [Abstracts]');
  });

  it('drops terminal control sequences from event data and users’ text', async () => {
    const { printed } = await scripted(['/agenda'], {
      runText: async () => ({ message: message({ title: 'Evil \u001b[2J\u001b]0;pwned\u0007 title\u202e', intro: ['line\r\nnext'] }) }),
    });
    expect(printed).toContain('Evil [2J]0;pwned title\n\nline\nnext');
    expect(printed).not.toMatch(/[\u001b\u0007\u202e\r]/);
  });

  it('keeps reading after a command fails', async () => {
    let calls = 0;
    const { printed } = await scripted(['/agenda', '/agenda'], {
      runText: async () => {
        if (calls++ === 0) throw new Error('boom');
        return { message: message({ intro: ['second answer'] }) };
      },
    });
    expect(printed).toContain('Something went wrong; see the log.');
    expect(printed).toContain('second answer');
  });

  it('cancels a form whose input ends half way, and gives up after repeated refusals', async () => {
    const form: CommandReply = { modal: { id: 'x:y', title: 'Form', submitLabel: 'Send', fields: [{ id: 'a', label: 'A', style: 'short', required: true, maxLength: 10 }] } };
    const ended = await scripted(['/agenda'], { runText: async () => form });
    expect(ended.printed).toContain('Form cancelled; nothing was sent.');

    const submitted: Record<string, string>[] = [];
    const refused = await scripted(['/agenda', '1', '2', '3', '4', '5', '6'], {
      runText: async () => form,
      modalSubmit: async (_id, values) => {
        submitted.push({ ...values });
        return { errors: { a: 'Not good enough.' } };
      },
    });
    expect(submitted.map((v) => v.a)).toEqual(['1', '2', '3', '4', '5']);
    expect(refused.printed).toContain('A: Not good enough.');
    expect(refused.printed).toContain('Still not accepted; the form is closed.');
    // The line after the fifth attempt is read as a command again.
    expect(refused.printed).toContain('Unknown command /6. Try /help');
  });

  it('shows a refusal that is not about a field, and a confirmation', async () => {
    const form: CommandReply = { modal: { id: 'x:y', title: 'Form', submitLabel: 'Send', fields: [{ id: 'a', label: 'A', style: 'short', required: false, maxLength: 10 }] } };
    const outcomes: ModalOutcome[] = [{ errors: { other: 'Over the limit for today.' } }, message({ title: 'Thanks' })];
    const { printed } = await scripted(['/agenda', '', '/agenda', 'x'], { runText: async () => form, modalSubmit: async () => outcomes.shift()! });
    expect(printed).toContain('Over the limit for today.');
    expect(printed).toContain('Thanks');
  });

  it('prints posts and edits, and finds its own posts by delivery key', async () => {
    const output = new PassThrough();
    let printed = '';
    output.on('data', (c: Buffer) => (printed += c.toString('utf8')));
    const console = new ConsoleChat({ input: new PassThrough(), output, commands, dispatcher: { runText: jest.fn(), button: jest.fn(), modalSubmit: jest.fn() } });
    const posted: MessageModel = message({ title: 'Tomorrow: SRE Munich', footer: ['#sremuc'] });
    const { messageId } = await console.post('announcements', posted, { deliveryKey: 'reminder:sre-2024:console:announcements' });
    await console.edit('announcements', messageId, message({ title: 'Cancelled: SRE Munich' }));
    expect(printed).toBe(
      '[post to #announcements]\nTomorrow: SRE Munich\n\n#sremuc\n' + `[edit ${messageId} in #announcements]\nCancelled: SRE Munich\n`,
    );
    expect(await console.findPosted('announcements', 'reminder:sre-2024:console:announcements')).toBe(messageId);
    expect(await console.findPosted('other', 'reminder:sre-2024:console:announcements')).toBeUndefined();
    const second = await console.post('announcements', posted, { deliveryKey: 'k2' });
    expect(second.messageId).not.toBe(messageId);
  });

  it('stops cleanly while waiting for input', async () => {
    const input = new PassThrough();
    const chat = new ConsoleChat({ input, output: new PassThrough(), commands, dispatcher: { runText: jest.fn(), button: jest.fn(), modalSubmit: jest.fn() } });
    await chat.start();
    await chat.stop();
    await expect(chat.finished()).resolves.toBeUndefined();
  });
});
