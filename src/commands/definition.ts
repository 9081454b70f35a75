import type { DateTime } from 'luxon';
import type { Catalogue } from '../catalogue/catalogue';
import type { CommunitySettings } from '../catalogue/settings';
import type { CommandReply, MessageModel } from '../chat/message';
import type { Platform } from '../chat/adapter';

export type OptionType = 'string' | 'integer' | 'boolean';

export interface CommandOption {
  name: string;
  description: string;
  type: OptionType;
  required?: boolean;
  maxLength?: number;
  choices?: { name: string; value: string }[];
  /** Offer completions (event names) while typing: Discord autocomplete. */
  autocomplete?: boolean;
  /** The last string option may take the rest of the text on platforms with free-text commands (Slack, console). */
  rest?: boolean;
}

export interface Subcommand {
  name: string;
  description: string;
  options: CommandOption[];
  organizerOnly?: boolean;
}

/** Who is asking. Adapters decide isOrganizer (Slack user ids/group, Discord role or Manage Events). */
export interface Caller {
  platform: Platform;
  id: string;
  name: string;
  isOrganizer: boolean;
  /** Channel the command was typed in. */
  channel?: string;
}

export type OptionValues = Record<string, string | number | boolean | undefined>;

export interface CommandInput {
  subcommand?: string;
  options: OptionValues;
}

/** The services a command may use. The same object serves every platform. */
export interface CommandServices {
  catalogue(): Catalogue;
  settings(): CommunitySettings;
  now(): DateTime;
  /** Calendar feed links built from the public base URL. */
  feeds: FeedLinks;
}

export interface FeedLinks {
  /** https(s) URL of the whole calendar. */
  calendar: string;
  /** webcal:// form of the same, for Apple Calendar / Thunderbird one-click subscribe. */
  webcal: string;
  /** Google Calendar "add by URL" link. */
  google: string;
  /** The subscribe page. */
  page: string;
  event(id: string): string;
}

export interface CommandContext {
  input: CommandInput;
  caller: Caller;
  services: CommandServices;
}

export interface ModalSubmission {
  /** The modal id without the command prefix, e.g. "submit" for "cfp:submit". */
  purpose: string;
  values: Record<string, string>;
}

/**
 * One slash command, platform-neutral. A file in commands/ default-exports one of these; adding a command
 * touches that one file.
 */
export interface CommandDefinition {
  name: string;
  description: string;
  options: CommandOption[];
  subcommands?: Subcommand[];
  /** The whole command is for organizers (Discord hides it via default member permissions). */
  organizerOnly?: boolean;
  /** Longer help text for /help <command>. */
  usage?: string;
  run(ctx: CommandContext): Promise<CommandReply> | CommandReply;
  /** Completions for an option marked autocomplete. */
  autocomplete?(ctx: CommandContext, option: string, typed: string): { name: string; value: string }[];
  /** A button with id "<command>:<action>:<arg>" was pressed. */
  onButton?(ctx: CommandContext, action: string, arg: string): Promise<CommandReply> | CommandReply;
  /** A modal with id "<command>:<purpose>" was submitted. */
  onModalSubmit?(ctx: CommandContext, submission: ModalSubmission): Promise<MessageModel> | MessageModel;
}

export function defineCommand(definition: CommandDefinition): CommandDefinition {
  return definition;
}
