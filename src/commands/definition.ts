import type { DateTime } from 'luxon';
import type { Catalogue } from '../catalogue/catalogue';
import type { CommunitySettings } from '../catalogue/settings';
import type { CommandReply, MessageModel } from '../chat/message';
import type { OrganizerNotifier, Platform } from '../chat/adapter';
import type { RsvpService } from '../rsvp/service';
import type { FeedLinks } from '../feeds/links';
import type { Removals } from '../sources/removals';

export type OptionType = 'string' | 'integer' | 'boolean';

export interface CommandOption {
  name: string;
  description: string;
  type: OptionType;
  required?: boolean;
  maxLength?: number;
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
  /** The Slack workspace (team id) or Discord server (guild id) it came from: which community answers. */
  workspace?: string;
  /** Discord: the member's roles in that server (a community's organizer role is checked against them). */
  roles?: string[];
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
  /** Call-for-talks submissions (src/cfp/submissions.ts). */
  cfp: CfpService;
  /** Organizers' ad-hoc posts and pause/resume (src/schedule). */
  announcements: AnnouncementService;
  /** Sends a message to the organizers' channel on every platform. */
  notifyOrganizers: OrganizerNotifier;
  /** RSVPs in chat: seats, waitlist, real names (src/rsvp/service.ts). */
  rsvp: RsvpService;
  /** Deleted posts of upcoming meetups, held until an organizer confirms (src/sources/removals.ts). */
  removals: Pick<Removals, 'all' | 'confirm'>;
}

export interface CfpProposal {
  title: string;
  abstract: string;
  /** "talk" or "lightning", or minutes as typed. */
  length: string;
  speaker: string;
  contact: string;
}

export interface CfpSubmission extends CfpProposal {
  id: number;
  platform: Platform;
  userId: string;
  userName: string;
  createdAt: DateTime;
}

export interface CfpService {
  /** Stores a proposal; throws ArgumentError (naming the field) when too long, empty or over the rate limit. */
  submit(caller: Caller, proposal: CfpProposal): Promise<CfpSubmission>;
  /** Most recent first; /cfp list checks `limit` (1 to 50). */
  list(limit: number): Promise<CfpSubmission[]>;
}

export interface ScheduledPostSummary {
  id: number;
  dueAt: DateTime;
  text?: string;
  eventId?: string;
  createdBy: string;
  status: 'scheduled' | 'done' | 'cancelled';
}

/** One post the scheduler would make: where, when, what. */
export interface PlannedPost {
  platform: Platform;
  channel: string;
  dueAt: DateTime;
  message: MessageModel;
  /** What it is, for organizers: "reminder: SRE Munich at Celonis 2024", "/announce #3 by slack:anna". */
  label: string;
}

export interface AnnouncementService {
  /** `when` as typed ("2026-12-01 18:00", "in 2h", "tomorrow 10:00"); throws ArgumentError when unparseable or past. */
  schedule(when: string, content: { text?: string; eventId?: string }, by: Caller): Promise<ScheduledPostSummary>;
  /** Organizers' posts still to go out, soonest first. */
  list(): Promise<ScheduledPostSummary[]>;
  cancel(id: number, by: Caller): Promise<ScheduledPostSummary>;
  /**
   * Dry run, sends nothing: exactly what would be posted where and when. With an id, that organizer's post;
   * without, everything planned for the coming weeks (automatic rules and organizers' posts).
   */
  preview(id?: number): Promise<PlannedPost[]>;
  pause(by: Caller): Promise<void>;
  /** False when announcements were not paused. */
  resume(by: Caller): Promise<boolean>;
  /** Who paused announcements and when, if they are paused. */
  paused(): Promise<{ by: string; at: DateTime } | undefined>;
}

export interface CommandContext {
  input: CommandInput;
  caller: Caller;
  services: CommandServices;
  /** Every command the dispatcher was built with (what /help lists). */
  commands: ReadonlyMap<string, CommandDefinition>;
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
  /**
   * Free text that does not start with a subcommand's name goes to this subcommand (Slack, console): `/rsvp
   * celonis` is `/rsvp show celonis`. Discord always names the subcommand.
   */
  defaultSubcommand?: string;
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

/**
 * A request a command cannot carry out as asked (a bad option, an unknown meetup, a form field): the member
 * sees the message, privately, and nobody is paged. Anything else a command throws is a bug and is reported.
 */
export class ArgumentError extends Error {
  override name = 'ArgumentError';
}

/**
 * Problems with fields of one form, field id → message. The dispatcher shows each next to its field (Slack
 * `response_action: errors`, console re-prompt), so people fix them all in one go instead of discovering them one
 * submission at a time; the message lists them all for places that cannot show fields.
 */
export class FieldErrors extends ArgumentError {
  constructor(readonly errors: Record<string, string>) {
    super(Object.values(errors).join('\n'));
    this.name = 'FieldErrors';
  }
}

export function defineCommand(definition: CommandDefinition): CommandDefinition {
  return definition;
}
