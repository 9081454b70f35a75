import {
  ApplicationCommandOptionType,
  MessageFlags,
  PermissionFlagsBits,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
  type InteractionReplyOptions,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { DiscordConfig } from '../../config';
import type { Logger } from '../../log';
import type { Caller, CommandInput, OptionValues } from '../../commands/definition';
import type { Dispatcher } from '../dispatch';
import { message, type CommandReply, type MessageModel, type ModalModel } from '../message';
import { withinBudget } from '../answer-deadline';
import { answerFailures, SOMETHING_WENT_WRONG_ANSWER } from '../failure-report';
import { renderMessage, type DiscordMessage } from './render';
import { renderChoices, renderModal } from './components';
import { FormMemory, REOPEN_FORM_PREFIX } from './forms';

/** The part of the platform-neutral dispatcher the Discord adapter drives: typed options, completions, buttons, forms. */
export type DiscordDispatcher = Pick<Dispatcher, 'run' | 'autocomplete' | 'button' | 'modalSubmit'>;

export interface InteractionOptions {
  config: Pick<DiscordConfig, 'guildId' | 'organizerRoleId'>;
  dispatcher: DiscordDispatcher;
  log: Logger;
  /** How long an interaction may work before it is deferred. */
  ackBudgetMs: number;
}

const FORM_EXPIRED = message({ intro: ['This form has expired. Please start again with the command.'], ephemeral: true });
type Answerable = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

/**
 * Answers Discord interactions (slash commands, autocomplete, buttons, modal submissions) through the
 * dispatcher. Every interaction gets its first answer within the ack budget, however slow the work: the answer
 * itself when ready, otherwise a deferral followed by the answer.
 */
export class InteractionHandler {
  private readonly forms = new FormMemory();

  constructor(private readonly options: InteractionOptions) {}

  async handle(interaction: Interaction): Promise<void> {
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
    const { flags: _ephemeral, ...sorry } = toReplyOptions(renderMessage(SOMETHING_WENT_WRONG_ANSWER));
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
    const run = this.options.dispatcher.run(interaction.commandName, input, this.caller(interaction));
    await this.answer(interaction, answerFailures(run, this.options.log, 'discord', what), false);
  }

  private async onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    // The dispatcher answers a failing completion with no choices (and logs it).
    const choices = this.options.dispatcher.autocomplete(interaction.commandName, focused.name, String(focused.value), this.caller(interaction));
    await interaction.respond(renderChoices(choices));
  }

  private async onButton(interaction: ButtonInteraction): Promise<void> {
    if (interaction.customId.startsWith(REOPEN_FORM_PREFIX)) return this.reopenForm(interaction);
    const pressed = this.options.dispatcher.button(interaction.customId, this.caller(interaction));
    await this.answer(interaction, answerFailures(pressed, this.options.log, 'discord', interaction.customId), false);
  }

  private async onModalSubmit(interaction: ModalSubmitInteraction): Promise<void> {
    const values: Record<string, string> = {};
    for (const [id, field] of interaction.fields.fields) if ('value' in field && typeof field.value === 'string') values[id] = field.value;
    const caller = this.caller(interaction);
    const submitted = this.options.dispatcher.modalSubmit(interaction.customId, values, caller);
    const work = answerFailures(submitted, this.options.log, 'discord', interaction.customId).then((outcome): CommandReply => {
      if ('message' in outcome) return outcome;
      if ('errors' in outcome) return { message: this.forms.problems(interaction.customId, outcome.errors, values, caller.id) };
      return { message: outcome };
    });
    // Submissions are usually answered privately (a confirmation): defer that way when it takes long.
    await this.answer(interaction, work, true);
  }

  private async reopenForm(interaction: ButtonInteraction): Promise<void> {
    const form = this.forms.reopen(interaction.customId, interaction.user.id);
    if (!form) return void (await interaction.reply(toReplyOptions(renderMessage(FORM_EXPIRED))));
    await interaction.showModal(renderModal(form.modal, form.values));
  }

  /**
   * The first answer within the ack budget: the reply itself when the work is done by then, otherwise a
   * deferral (a "thinking…" state) and the reply when it is ready. A deferral fixes whether the answer is
   * private; when the reply wants the other kind, the placeholder is removed and the reply follows up.
   */
  private async answer(interaction: Answerable, work: Promise<CommandReply>, deferPrivately: boolean): Promise<void> {
    const early = await withinBudget(work, this.options.ackBudgetMs);
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
    this.forms.shownNow(modal);
    await interaction.showModal(renderModal(modal));
  }

  private toModel(reply: CommandReply, userId: string): MessageModel {
    return 'message' in reply ? reply.message : this.forms.offer(reply.modal, userId);
  }

  private caller(interaction: Interaction): Caller {
    const member = interaction.member;
    const name = member && 'displayName' in member ? member.displayName : (member?.nick ?? interaction.user.globalName ?? interaction.user.username);
    const roles = interaction.inGuild() ? interaction.member.roles : undefined;
    return {
      platform: 'discord',
      id: interaction.user.id,
      name,
      channel: interaction.channelId ?? undefined,
      workspace: interaction.guildId ?? undefined,
      roles: roles === undefined ? undefined : Array.isArray(roles) ? roles : [...roles.cache.keys()],
      isOrganizer: this.isOrganizer(interaction),
    };
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
