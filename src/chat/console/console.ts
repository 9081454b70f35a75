import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../../log';
import type { Caller, CommandDefinition } from '../../commands/definition';
import type { ChatAdapter, PostOptions } from '../adapter';
import type { Dispatcher, ModalOutcome } from '../dispatch';
import type { Button, CommandReply, MessageModel, ModalField, ModalModel } from '../message';
import { renderConsole, sanitize } from './render';
import { closestKey } from '../../sources/diagnostics';

/** The part of the dispatcher the console drives. */
export type ConsoleDispatcher = Pick<Dispatcher, 'runText' | 'button' | 'modalSubmit'>;

export interface ConsoleChatOptions {
  input: Readable;
  output: Writable;
  dispatcher: ConsoleDispatcher;
  commands: Map<string, CommandDefinition>;
  log?: Logger;
  /** The operator's name in CfP submissions and logs. */
  operator?: string;
  /** Show a prompt when waiting for a command; default: when input and output are a terminal. */
  prompt?: boolean;
}

const PROMPT = 'sremuc> ';

/** How often a form asks again after the bot refused the answers, before giving up. */
const FORM_ATTEMPTS = 5;
const CANCEL = '/cancel';
const END_OF_PARAGRAPH = '.';

/**
 * The bot on a terminal: the operator types commands (`/agenda last`, `help`), presses buttons by typing their
 * label in brackets (`[Abstracts]`), fills forms line by line, and sees what the scheduler posts. The operator
 * runs the bot, so they are an organizer. Nothing typed can stop the loop: every failure is reported and the
 * next line is read.
 */
export class ConsoleChat implements ChatAdapter {
  readonly platform = 'console' as const;
  private readline?: Interface;
  private lines?: AsyncIterator<string>;
  private loop?: Promise<void>;
  /** Buttons of the last message shown: what "[Label]" presses. */
  private buttons: Button[] = [];
  private readonly posted = new Map<string, string>();
  private postCount = 0;
  private readonly caller: Caller;

  constructor(private readonly options: ConsoleChatOptions) {
    this.caller = { platform: 'console', id: 'console', name: options.operator ?? 'operator', isOrganizer: true, channel: 'console' };
  }

  async start(): Promise<void> {
    this.readline = createInterface({ input: this.options.input, terminal: false, crlfDelay: Infinity });
    this.lines = this.readline[Symbol.asyncIterator]();
    this.write('sremuc-bot console: type /help for the commands, /agenda for the next meetup, Ctrl-D to quit.');
    this.loop = this.readLoop();
  }

  /** Resolves when the input has ended (Ctrl-D, end of a piped file) and every line before it was answered. */
  finished(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.readline?.close();
    await this.loop;
  }

  async post(channel: string, message: MessageModel, { deliveryKey }: PostOptions): Promise<{ messageId: string }> {
    const messageId = `console-${++this.postCount}`;
    this.write(`[post to #${channel}]\n${renderConsole(message)}`);
    this.posted.set(postKey(channel, deliveryKey), messageId);
    return { messageId };
  }

  async edit(channel: string, messageId: string, message: MessageModel): Promise<void> {
    this.write(`[edit ${messageId} in #${channel}]\n${renderConsole(message)}`);
  }

  /** The operator is the only member: their direct messages are printed like posts, under "@<user>". */
  async openDirectMessage(userId: string): Promise<string> {
    return `@${userId}`;
  }

  /** Only what this process printed: a console has no history to search. */
  async findPosted(channel: string, deliveryKey: string): Promise<string | undefined> {
    return this.posted.get(postKey(channel, deliveryKey));
  }

  private get prompting(): boolean {
    const { input, output, prompt } = this.options;
    return prompt ?? Boolean((input as { isTTY?: boolean }).isTTY && (output as { isTTY?: boolean }).isTTY);
  }

  private async readLoop(): Promise<void> {
    for (let line = await this.nextCommand(); line !== undefined; line = await this.nextCommand()) {
      try {
        await this.handle(line);
      } catch (error) {
        this.options.log?.error({ err: error, line }, 'console command failed');
        this.write('Something went wrong; see the log.');
      }
    }
  }

  /** The next command line, after the prompt (a form's questions are their own prompt). */
  private nextCommand(): Promise<string | undefined> {
    if (this.prompting) this.options.output.write(PROMPT);
    return this.readLine();
  }

  private async readLine(): Promise<string | undefined> {
    const next = await this.lines!.next();
    return next.done ? undefined : next.value;
  }

  private async handle(line: string): Promise<void> {
    const text = line.trim();
    if (text === '') return;
    const pressed = /^\[(.+)\]$/.exec(text);
    if (pressed) return this.press(pressed[1]!.trim());
    const [, rawName = '', rest = ''] = /^\/?(\S+)\s*([\s\S]*)$/.exec(text) ?? [];
    const name = rawName.toLowerCase();
    if (!this.options.commands.has(name)) {
      const near = closestKey(name, [...this.options.commands.keys()]);
      this.write(`Unknown command /${sanitize(rawName).slice(0, 50)}.${near ? ` Did you mean /${near}?` : ''} Try /help`);
      return;
    }
    await this.show(await this.options.dispatcher.runText(name, rest, this.caller));
  }

  private async press(label: string): Promise<void> {
    const button = this.buttons.find((b) => b.label.toLowerCase() === label.toLowerCase());
    if (!button) {
      const offered = this.buttons.map((b) => `[${b.label}]`).join(' ');
      this.write(offered ? `No button "${sanitize(label).slice(0, 50)}" here. Buttons: ${offered}` : 'There is no button to press.');
      return;
    }
    await this.show(await this.options.dispatcher.button(button.id, this.caller));
  }

  private async show(reply: CommandReply): Promise<void> {
    if ('modal' in reply) return this.fillForm(reply.modal);
    this.buttons = reply.message.buttons.filter((b) => !b.url);
    this.write(renderConsole(reply.message));
    // An export is text: shown as it would be saved (sanitized like everything else printed).
    for (const file of reply.message.files ?? []) this.write(`--- ${sanitize(file.name)} ---\n${sanitize(file.content)}--- end of ${sanitize(file.name)} ---`);
  }

  /** Asks each field on its own line, submits, and asks again for the fields the bot refused. */
  private async fillForm(modal: ModalModel): Promise<void> {
    this.write(`${sanitize(modal.title)}: answer each question (${CANCEL} to stop).`);
    const values: Record<string, string> = {};
    let toAsk = modal.fields;
    for (let attempt = 0; attempt < FORM_ATTEMPTS; attempt++) {
      for (const field of toAsk) {
        const value = await this.askField(field);
        if (value === undefined) {
          this.write('Form cancelled; nothing was sent.');
          return;
        }
        values[field.id] = value;
      }
      const outcome: ModalOutcome = await this.options.dispatcher.modalSubmit(modal.id, values, this.caller);
      if (!('errors' in outcome)) return this.show({ message: outcome });
      toAsk = modal.fields.filter((f) => f.id in outcome.errors);
      for (const f of toAsk) this.write(`${f.label}: ${sanitize(outcome.errors[f.id]!)}`);
      if (toAsk.length === 0) {
        this.write(Object.values(outcome.errors).map(sanitize).join('\n'));
        return;
      }
    }
    this.write('Still not accepted; the form is closed. Try again with the command.');
  }

  /** One field's answer; undefined when the operator cancels or the input ends. */
  private async askField(field: ModalField): Promise<string | undefined> {
    for (;;) {
      const hint = field.value ? ` (now "${sanitize(field.value)}"; Enter keeps it)` : field.placeholder ? ` (${field.placeholder})` : '';
      const multi = field.style === 'paragraph' ? ` [several lines; end with a line holding just "${END_OF_PARAGRAPH}"]` : '';
      this.write(`${field.label}${field.required ? '' : ' (optional)'}${hint}${multi}:`);
      const value = field.style === 'paragraph' ? await this.readParagraph() : await this.readLine();
      if (value === undefined || value.trim() === CANCEL) return undefined;
      if (value.trim() === '' && field.value) return field.value;
      const problem = fieldProblem(field, value.trim());
      if (!problem) return value.trim();
      this.write(problem);
    }
  }

  private async readParagraph(): Promise<string | undefined> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.readLine();
      if (line === undefined) return lines.length > 0 ? lines.join('\n') : undefined;
      if (line.trim() === CANCEL) return CANCEL;
      if (line.trim() === END_OF_PARAGRAPH) return lines.join('\n');
      lines.push(line);
    }
  }

  private write(text: string): void {
    this.options.output.write(`${text}\n`);
  }
}

/** The checks Slack and Discord make in their own form before sending. */
function fieldProblem(field: ModalField, value: string): string | undefined {
  if (value === '') return field.required ? `${field.label} is required.` : undefined;
  if (value.length > field.maxLength) return `${field.label} is too long: at most ${field.maxLength} characters (got ${value.length}).`;
  if (field.minLength !== undefined && value.length < field.minLength) return `${field.label} is too short: at least ${field.minLength} characters.`;
  return undefined;
}

function postKey(channel: string, deliveryKey: string): string {
  return `${channel}\u0000${deliveryKey}`;
}
