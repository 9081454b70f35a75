import { createHash, randomBytes } from 'node:crypto';
import {
  ApplicationCommandOptionType,
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  RESTEvents,
  Routes,
  type APIMessage,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
  type InteractionReplyOptions,
  type ModalSubmitInteraction,
  type RateLimitData,
  type REST,
  type RESTOptions,
} from 'discord.js';
import type { DiscordConfig } from '../../config';
import type { Logger } from '../../log';
import type { Caller, CommandDefinition, CommandInput, OptionValues } from '../../commands/definition';
import type { ChatAdapter, PostOptions } from '../adapter';
import type { Dispatcher, ModalOutcome } from '../dispatch';
import { bold, message, type CommandReply, type MessageModel, type ModalModel } from '../message';
import { toApplicationCommands } from './commands';
import { toPostError } from './errors';
import { renderChoices, renderMessage, renderModal, type DiscordMessage } from './render';
import { withinBudget } from '../answer-deadline';
import { rejectedToken } from '../../startup-errors';

/** The part of the platform-neutral dispatcher the Discord adapter drives: typed options, completions, buttons, forms. */
export type DiscordDispatcher = Pick<Dispatcher, 'run' | 'autocomplete' | 'button' | 'modalSubmit'>;

export interface DiscordChatOptions {
  config: DiscordConfig;
  /** Every loaded command; the adapter answers those registered with `npm run deploy-commands`. */
  commands: Map<string, CommandDefinition>;
  dispatcher: DiscordDispatcher;
  log: Logger;
  /** @discordjs/rest options on top of the defaults (tests: fewer retries, shorter timeout, no offset). */
  restOptions?: Partial<RESTOptions>;
  /**
   * How long an interaction may work before it is deferred (Discord wants the first answer within 3 s of the
   * interaction; the rest is margin for the network). Answers ready in time go out in one callback.
   */
  ackBudgetMs?: number;
  /** A rate limit longer than this makes post()/edit() fail with a retryable PostError instead of waiting. */
  maxRateLimitWaitMs?: number;
  /** How many pages of 100 messages findPosted() reads. */
  historyPages?: number;
}

const DEFAULT_ACK_BUDGET_MS = 2_000;
const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 15_000;
const DEFAULT_HISTORY_PAGES = 5;
const HISTORY_PAGE_SIZE = 100;
/** Buttons the adapter answers itself; "~" cannot start a command name, so no command id collides. */
const REOPEN_FORM_PREFIX = '~form:';
const FORM_MEMORY_MS = 15 * 60_000;
const MEMORY_MAX = 500;
const SOMETHING_WENT_WRONG = message({ intro: ['Something went wrong; the organizers have been told.'], ephemeral: true });
const MARKER_PATTERN = /ref ([0-9a-f]{16})$/;

/**
 * The 16-hex-digit reference for a delivery key: sent as the message nonce (Discord refuses a second message
 * with the same nonce for a few minutes when enforce_nonce is set) and shown in the footer, where findPosted()
 * can still see it after a restart (fetched messages do not carry the nonce).
 */
export function deliveryMarker(deliveryKey: string): string {
  return createHash('sha256').update(deliveryKey).digest('hex').slice(0, 16);
}

/**
 * The Discord side of the bot: a real discord.js client (Guilds intent only: interactions need no privileged
 * intents) answering slash commands, autocomplete, buttons and modals, and posting the scheduler's messages
 * over its REST client. Every interaction gets its first answer within the ack budget, however slow the work:
 * the answer itself when ready, otherwise a deferral followed by the answer.
 */
export class DiscordChat implements ChatAdapter {
  readonly platform = 'discord' as const;
  readonly client: Client;
  /** Forms shown, by modal id: a submission with problems can be reopened with what the user typed. */
  private readonly shownModals = new Map<string, ModalModel>();
  private readonly pendingForms = new Map<string, { modal: ModalModel; values: Record<string, string>; userId: string; expiresAt: number }>();
  private readonly markers = new Map<string, string>();
  private readonly dms = new Map<string, string>();

  constructor(private readonly options: DiscordChatOptions) {
    const { config, log } = options;
    const maxWait = options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
    this.client = new Client({
      intents: [GatewayIntentBits.Guilds],
      allowedMentions: { parse: [] },
      rest: {
        ...(config.apiUrl ? { api: config.apiUrl } : {}),
        ...options.restOptions,
        // Short waits are waited out in discord.js's queue; long ones go back to the scheduler as retryable errors.
        rejectOnRateLimit: (limit: RateLimitData) => limit.retryAfter > maxWait,
      },
    });
    // REST works before the gateway is up: the scheduler or the scheduled-event sync may post during start-up.
    this.client.rest.setToken(config.token);
    this.client.on(Events.InteractionCreate, (interaction) => void this.onInteraction(interaction));
    this.client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
    this.client.on(Events.Warn, (warning) => log.warn({ warning }, 'discord client warning'));
    this.client.on(Events.ShardDisconnect, (event, shard) => log.warn({ code: event.code, shard }, 'discord gateway disconnected'));
    this.client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'discord gateway resumed'));
    this.client.rest.on(RESTEvents.RateLimited, (limit) => log.info({ route: limit.route, retryAfter: limit.retryAfter, global: limit.global, scope: limit.scope }, 'discord rate limit'));
  }

  /** The REST client (also used by the scheduled-event sync). */
  get rest(): REST {
    return this.client.rest;
  }

  async start(): Promise<void> {
    const ready = new Promise<void>((resolve) => this.client.once(Events.ClientReady, () => resolve()));
    await this.client.login(this.options.config.token).catch((error: unknown) => {
      throw rejectedToken('DISCORD_TOKEN', 'Discord', error) ?? error;
    });
    await ready;
    this.options.log.info({ user: this.client.user?.tag, guilds: this.client.guilds.cache.size }, 'discord adapter started');
    if (!this.options.config.guildId) this.options.log.warn('DISCORD_GUILD_ID is not set: organizer rights count in every server the bot is in');
    await this.checkRegisteredCommands();
  }

  async stop(): Promise<void> {
    await this.client.destroy();
  }

  // ---- posting (the scheduler's ChatPoster) ------------------------------------------------------------------

  async post(channel: string, model: MessageModel, { deliveryKey }: PostOptions): Promise<{ messageId: string }> {
    const marker = deliveryMarker(deliveryKey);
    const body = { ...renderMessage({ ...model, ephemeral: false }, { marker }), nonce: marker, enforce_nonce: true };
    try {
      const sent = (await this.rest.post(Routes.channelMessages(channel), { body })) as APIMessage;
      this.remember(sent.id, marker);
      return { messageId: sent.id };
    } catch (error) {
      throw toPostError(`post to ${channel}`, error);
    }
  }

  /** Replaces the message's content and embeds, keeping the delivery reference in its footer. */
  async edit(channel: string, messageId: string, model: MessageModel): Promise<void> {
    try {
      const marker = this.markers.get(messageId) ?? markerOf((await this.rest.get(Routes.channelMessage(channel, messageId))) as APIMessage);
      const rendered = renderMessage({ ...model, ephemeral: false }, { marker });
      // A PATCH leaves out what it does not name: clear the content when the new version is an embed, and
      // lift a link-preview suppression a plain version had, or the new embed would be hidden.
      await this.rest.patch(Routes.channelMessage(channel, messageId), { body: { ...rendered, content: rendered.content ?? '', flags: rendered.flags ?? 0 } });
    } catch (error) {
      throw toPostError(`edit of ${messageId} in ${channel}`, error);
    }
  }

  /** The direct-message channel with a member (POST /users/@me/channels answers the same one every time). */
  async openDirectMessage(userId: string): Promise<string> {
    const known = this.dms.get(userId);
    if (known) return known;
    try {
      const channel = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
      if (this.dms.size >= MEMORY_MAX) this.dms.clear();
      this.dms.set(userId, channel.id);
      return channel.id;
    } catch (error) {
      throw toPostError(`opening a direct message with ${userId}`, error);
    }
  }

  /** Scans recent history for a message of ours carrying the delivery key's reference. */
  async findPosted(channel: string, deliveryKey: string): Promise<string | undefined> {
    const marker = deliveryMarker(deliveryKey);
    const ownId = this.client.user?.id ?? this.options.config.applicationId;
    let before: string | undefined;
    for (let page = 0; page < (this.options.historyPages ?? DEFAULT_HISTORY_PAGES); page++) {
      const query = new URLSearchParams({ limit: String(HISTORY_PAGE_SIZE), ...(before ? { before } : {}) });
      let messages: APIMessage[];
      try {
        messages = (await this.rest.get(Routes.channelMessages(channel), { query })) as APIMessage[];
      } catch (error) {
        throw toPostError(`history of ${channel}`, error);
      }
      const found = messages.find((m) => m.author.id === ownId && (m.nonce === marker || markerOf(m) === marker));
      if (found) {
        this.remember(found.id, marker);
        return found.id;
      }
      if (messages.length < HISTORY_PAGE_SIZE) return undefined;
      before = messages[messages.length - 1]!.id;
    }
    return undefined;
  }

  /**
   * Tells the organizers (DISCORD_ORGANIZERS_CHANNEL): CfP submissions, posts that failed for good. Without a
   * configured channel there is nobody to tell on Discord, and it does nothing. Usable as an OrganizerNotifier.
   */
  readonly notifyOrganizers = async (model: MessageModel): Promise<void> => {
    const channel = this.options.config.organizersChannel;
    if (!channel) return;
    try {
      await this.rest.post(Routes.channelMessages(channel), { body: renderMessage({ ...model, ephemeral: false }) });
    } catch (error) {
      throw toPostError(`post to organizers channel ${channel}`, error);
    }
  };

  private remember(messageId: string, marker: string): void {
    if (this.markers.size >= MEMORY_MAX) this.markers.delete(this.markers.keys().next().value!);
    this.markers.set(messageId, marker);
  }

  // ---- interactions ------------------------------------------------------------------------------------------

  private async onInteraction(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isChatInputCommand()) await this.onCommand(interaction);
      else if (interaction.isAutocomplete()) await this.onAutocomplete(interaction);
      else if (interaction.isButton()) await this.onButton(interaction);
      else if (interaction.isModalSubmit()) await this.onModalSubmit(interaction);
    } catch (error) {
      this.options.log.error({ err: error, interaction: interaction.id, type: interaction.type }, 'discord interaction could not be answered');
      await this.answerFailure(interaction);
    }
  }

  /**
   * The answer could not be built or sent (a form Discord cannot show, a refused message): say so if the
   * interaction still allows it. When Discord itself is the problem, this fails too, and there is nothing left.
   */
  private async answerFailure(interaction: Interaction): Promise<void> {
    if (!interaction.isRepliable() || interaction.replied) return;
    const { flags: _ephemeral, ...sorry } = toReplyOptions(renderMessage(SOMETHING_WENT_WRONG));
    try {
      if (interaction.deferred) await interaction.editReply(sorry);
      else await interaction.reply({ ...sorry, flags: MessageFlags.Ephemeral });
    } catch (error) {
      this.options.log.warn({ err: error, interaction: interaction.id }, 'discord interaction could not be told about the failure');
    }
  }

  private async onCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    const input = commandInput(interaction.options.data);
    const what = `/${interaction.commandName}${input.subcommand ? ' ' + input.subcommand : ''}`;
    const work = this.guarded(this.options.dispatcher.run(interaction.commandName, input, this.caller(interaction)), what);
    await this.answer(interaction, work, false);
  }

  private async onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    let choices: { name: string; value: string }[] = [];
    try {
      choices = this.options.dispatcher.autocomplete(interaction.commandName, focused.name, String(focused.value), this.caller(interaction));
    } catch (error) {
      this.options.log.warn({ err: error, command: interaction.commandName }, 'discord autocomplete failed');
    }
    await interaction.respond(renderChoices(choices));
  }

  private async onButton(interaction: ButtonInteraction): Promise<void> {
    if (interaction.customId.startsWith(REOPEN_FORM_PREFIX)) return this.reopenForm(interaction);
    const work = this.guarded(this.options.dispatcher.button(interaction.customId, this.caller(interaction)), interaction.customId);
    await this.answer(interaction, work, false);
  }

  private async onModalSubmit(interaction: ModalSubmitInteraction): Promise<void> {
    const values: Record<string, string> = {};
    for (const [id, field] of interaction.fields.fields) if ('value' in field && typeof field.value === 'string') values[id] = field.value;
    const caller = this.caller(interaction);
    const work = this.guarded(this.options.dispatcher.modalSubmit(interaction.customId, values, caller), interaction.customId).then((outcome): CommandReply => {
      if ('message' in outcome) return outcome;
      if ('errors' in outcome) return { message: this.formProblems(interaction.customId, outcome.errors, values, caller.id) };
      return { message: outcome };
    });
    // Submissions are usually answered privately (a confirmation): defer that way when it takes long.
    await this.answer(interaction, work, true);
  }

  /**
   * Discord modals cannot show errors next to the inputs: list the problems privately, with a button that
   * opens the form again holding what the user typed, so nothing has to be typed twice.
   */
  private formProblems(modalId: string, errors: Record<string, string>, values: Record<string, string>, userId: string): MessageModel {
    const modal = this.shownModals.get(modalId);
    const problems = Object.values(errors).map((e) => `• ${e}`).join('\n');
    const problemMessage = message({ intro: [bold('Please check the form:'), `\n${problems}`], ephemeral: true });
    if (!modal) return problemMessage;
    this.forgetExpiredForms();
    const token = randomBytes(9).toString('base64url');
    this.pendingForms.set(token, { modal, values, userId, expiresAt: Date.now() + FORM_MEMORY_MS });
    return { ...problemMessage, buttons: [{ id: `${REOPEN_FORM_PREFIX}${token}`, label: 'Edit and resubmit', style: 'primary' }] };
  }

  private async reopenForm(interaction: ButtonInteraction): Promise<void> {
    const form = this.pendingForms.get(interaction.customId.slice(REOPEN_FORM_PREFIX.length));
    if (!form || form.expiresAt < Date.now() || form.userId !== interaction.user.id) {
      await interaction.reply(toReplyOptions(renderMessage(message({ intro: ['This form has expired. Please start again with the command.'], ephemeral: true }))));
      return;
    }
    await interaction.showModal(renderModal(form.modal, form.values));
  }

  private forgetExpiredForms(): void {
    const now = Date.now();
    for (const [token, form] of this.pendingForms) if (form.expiresAt < now) this.pendingForms.delete(token);
    while (this.pendingForms.size >= MEMORY_MAX) this.pendingForms.delete(this.pendingForms.keys().next().value!);
  }

  /**
   * The first answer within the ack budget: the reply itself when the work is done by then, otherwise a
   * deferral (a "thinking…" state) and the reply when it is ready. A deferral fixes whether the answer is
   * private; when the reply wants the other kind, the placeholder is removed and the reply follows up.
   */
  private async answer(interaction: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction, work: Promise<CommandReply>, deferPrivately: boolean): Promise<void> {
    const early = await withinBudget(work, this.options.ackBudgetMs ?? DEFAULT_ACK_BUDGET_MS);
    if (early) {
      if ('modal' in early && !interaction.isModalSubmit()) return this.showModal(interaction, early.modal);
      const model = this.toModel(early, interaction.user.id);
      await interaction.reply({ ...toReplyOptions(renderMessage(model)), ...attachmentsOf(model) });
      return;
    }
    await interaction.deferReply(deferPrivately ? { flags: MessageFlags.Ephemeral } : {});
    const reply = await work;
    const model = this.toModel(reply, interaction.user.id);
    if (Boolean(model.ephemeral) === deferPrivately) {
      // The deferral already fixed the visibility; an edit can only set whether links unfurl.
      const rendered = renderMessage(model);
      const { flags: _visibility, ...edit } = toReplyOptions(rendered);
      await interaction.editReply({ ...edit, ...attachmentsOf(model), flags: (rendered.flags ?? 0) & MessageFlags.SuppressEmbeds });
      return;
    }
    await interaction.deleteReply();
    await interaction.followUp({ ...toReplyOptions(renderMessage(model)), ...attachmentsOf(model) });
  }

  private async showModal(interaction: ChatInputCommandInteraction | ButtonInteraction, modal: ModalModel): Promise<void> {
    this.shownModals.set(modal.id, modal);
    await interaction.showModal(renderModal(modal));
  }

  /**
   * A form can open only as the first answer to a command or button. One that was ready only after the deferral
   * (or follows a form) is offered as a button that opens it.
   */
  private toModel(reply: CommandReply, userId: string): MessageModel {
    if ('message' in reply) return reply.message;
    const modal = reply.modal;
    this.forgetExpiredForms();
    this.shownModals.set(modal.id, modal);
    const token = randomBytes(9).toString('base64url');
    this.pendingForms.set(token, { modal, values: {}, userId, expiresAt: Date.now() + FORM_MEMORY_MS });
    return message({ intro: ['The form is ready.'], buttons: [{ id: `${REOPEN_FORM_PREFIX}${token}`, label: `Open: ${modal.title}`, style: 'primary' }], ephemeral: true });
  }

  /** The dispatcher answers every failure itself; this is the last line so the user never waits in silence. */
  private guarded<T extends CommandReply | ModalOutcome>(work: Promise<T>, what: string): Promise<T | { message: MessageModel }> {
    return work.catch((error: unknown) => {
      this.options.log.error({ err: error, what }, 'discord interaction failed');
      return { message: SOMETHING_WENT_WRONG };
    });
  }

  private caller(interaction: Interaction): Caller {
    const member = interaction.member;
    const name = member && 'displayName' in member ? member.displayName : (member?.nick ?? interaction.user.globalName ?? interaction.user.username);
    return { platform: 'discord', id: interaction.user.id, name, channel: interaction.channelId ?? undefined, isOrganizer: this.isOrganizer(interaction) };
  }

  /**
   * Organizer = the configured organizer role, or Manage Events (which Administrator implies) as Discord
   * computed it for this member in this channel. Only in the community's own server: rights someone has in
   * another server that added the bot count for nothing.
   */
  private isOrganizer(interaction: Interaction): boolean {
    if (!interaction.inGuild()) return false;
    const { guildId: communityGuild, organizerRoleId } = this.options.config;
    if (communityGuild && interaction.guildId !== communityGuild) return false;
    if (interaction.memberPermissions.has(PermissionFlagsBits.ManageEvents)) return true;
    if (!organizerRoleId) return false;
    const roles = interaction.member.roles;
    return Array.isArray(roles) ? roles.includes(organizerRoleId) : roles.cache.has(organizerRoleId);
  }

  /** Warns when Discord's registered commands differ from commands/: the fix is `npm run deploy-commands`. */
  private async checkRegisteredCommands(): Promise<void> {
    const { applicationId, guildId } = this.options.config;
    try {
      const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
      const registered = (await this.rest.get(route)) as { name: string; options?: { name: string; options?: { name: string }[] }[] }[];
      const expected = toApplicationCommands(this.options.commands.values());
      const shape = (c: { name: string; options?: { name: string; options?: { name: string }[] }[] }) =>
        `${c.name}(${(c.options ?? []).map((o) => `${o.name}[${(o.options ?? []).map((s) => s.name).sort().join(',')}]`).sort().join(',')})`;
      const want = new Set(expected.map((c) => shape(c as Parameters<typeof shape>[0])));
      const have = new Set(registered.map(shape));
      const missing = [...want].filter((s) => !have.has(s));
      const extra = [...have].filter((s) => !want.has(s));
      if (missing.length || extra.length) {
        this.options.log.warn({ missing, extra }, 'Discord commands differ from commands/: run `npm run deploy-commands`');
      }
    } catch (error) {
      this.options.log.warn({ err: error }, 'could not read the registered Discord commands');
    }
  }
}

/** Discord delivers subcommands as an option of type 1 holding the real options. */
export function commandInput(data: readonly CommandInteractionOption[]): CommandInput {
  const [first] = data;
  if (first?.type === ApplicationCommandOptionType.Subcommand) return { subcommand: first.name, options: optionValues(first.options ?? []) };
  return { options: optionValues(data) };
}

function optionValues(data: readonly CommandInteractionOption[]): OptionValues {
  const values: OptionValues = {};
  for (const option of data) if (option.value !== undefined && option.value !== null) values[option.name] = option.value;
  return values;
}

/** Our rendered JSON in the shape discord.js's reply/editReply/followUp take. */
function toReplyOptions(rendered: DiscordMessage): InteractionReplyOptions & { content: string } {
  return {
    content: rendered.content ?? '',
    embeds: rendered.embeds,
    components: rendered.components,
    allowedMentions: { parse: [] },
    ...(rendered.flags ? { flags: rendered.flags as MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds } : {}),
  };
}

/** Files that go with an answer, as discord.js attachments (sent as multipart/form-data). */
function attachmentsOf(model: MessageModel): { files?: { attachment: Buffer; name: string; contentType: string }[] } {
  if (!model.files?.length) return {};
  return { files: model.files.map((f) => ({ attachment: Buffer.from(f.content, 'utf8'), name: f.name, contentType: f.mimeType })) };
}

function markerOf(m: Pick<APIMessage, 'content' | 'embeds'>): string | undefined {
  const footer = m.embeds?.at(-1)?.footer?.text;
  return (footer && MARKER_PATTERN.exec(footer)?.[1]) ?? MARKER_PATTERN.exec(m.content ?? '')?.[1];
}

