import type { App, RespondFn, webApi } from '@slack/bolt';
import type { Logger } from '../../log';
import type { Caller } from '../../commands/definition';
import type { Dispatcher } from '../dispatch';
import { message, type CommandReply, type MessageModel } from '../message';
import { withinBudget } from '../answer-deadline';
import { answerFailures } from '../failure-report';
import type { OrganizerCheck } from './organizers';
import { renderMessage, renderMessageView, renderModal } from './render';
import { address, parseAddress, type SlackWorkspaces } from './workspaces';

/** The part of the platform-neutral dispatcher the Slack adapter drives: free text, buttons, forms. */
export type SlackDispatcher = Pick<Dispatcher, 'runText' | 'button' | 'modalSubmit'>;

export interface SlackInteractionOptions {
  /** The names of the commands; each becomes a Slack slash command of the same name. */
  commandNames: Iterable<string>;
  dispatcher: SlackDispatcher;
  log: Logger;
  organizers: OrganizerCheck;
  /** How long a command or modal submission may work before it must be acked without its answer. */
  ackBudgetMs: number;
  /** The workspaces' clients: the members and channels of each request are remembered with their workspace. */
  workspaces: SlackWorkspaces;
  openDirectMessage: (userId: string) => Promise<string>;
}

const FORM_DID_NOT_OPEN = message({ intro: ['The form could not be opened (Slack refused it). Please run the command again.'], ephemeral: true });

/**
 * Registers Bolt handlers for slash commands, button clicks and modal submissions, all answered through the
 * dispatcher. Every handler acks within the budget, well inside Slack's 3-second deadline, however slow the
 * work is: with the answer when it is ready by then, empty otherwise (the answer follows through respond() or
 * views.update).
 */
export function registerInteractions(app: App, options: SlackInteractionOptions): void {
  const handlers = new SlackInteractions(options);
  handlers.registerCommands(app);
  handlers.registerActions(app);
}

class SlackInteractions {
  constructor(private readonly options: SlackInteractionOptions) {}

  /**
   * Fast answers (nearly all) go back in the ack's HTTP response, as Slack recommends: one round trip, nothing
   * more to send. Work still running when the budget is spent is acked empty and answered through respond().
   */
  registerCommands(app: App): void {
    // One Bolt listener for all the commands, not one each: Bolt runs every listener's middleware on every request.
    const names = [...this.options.commandNames].map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    if (names.length === 0) return;
    app.command(new RegExp(`^/(?:${names.join('|')})$`), async ({ command, ack, respond, client }) => {
      const name = command.command.slice(1);
      const work = answerFailures(
        this.caller(client, command.user_id, command.user_name, command.channel_id, command.team_id).then((caller) => this.options.dispatcher.runText(name, command.text, caller)),
        this.options.log,
        'slack',
        `/${name}`,
      );
      const early = await withinBudget(work, this.options.ackBudgetMs);
      if (early && 'message' in early && !early.message.files?.length) return ack(responseFor(early.message));
      await ack();
      const reply = early ?? (await work);
      await this.deliver(reply, { respond, client, triggerId: command.trigger_id, channel: command.channel_id, userId: command.user_id, team: command.team_id });
    });
  }

  registerActions(app: App): void {
    app.action({ type: 'block_actions' }, async ({ action, ack, body, respond, client }) => {
      await ack();
      // Link buttons open their URL in the browser; Slack still reports the click, there is nothing to do.
      if (action.type !== 'button' || action.url) return;
      const channel = body.channel?.id;
      const team = body.team?.id ?? body.user.team_id;
      const caller = await this.caller(client, body.user.id, body.user.name ?? body.user.username ?? body.user.id, channel, team);
      const reply = await answerFailures(this.options.dispatcher.button(action.action_id, caller), this.options.log, 'slack', action.action_id);
      await this.deliver(reply, { respond, client, triggerId: body.trigger_id, channel, asNewMessage: true, userId: body.user.id, team });
    });

    app.view({ type: 'view_submission' }, async ({ ack, view, body, client }) => {
      const { channel } = parseMetadata(view.private_metadata);
      const title = view.title.text;
      const work = answerFailures(
        this.caller(client, body.user.id, body.user.name, channel, body.team?.id ?? body.user.team_id).then((caller) => this.options.dispatcher.modalSubmit(view.callback_id, inputValues(view.state.values), caller)),
        this.options.log,
        'slack',
        view.callback_id,
      ).then((outcome) => ('message' in outcome ? outcome.message : outcome));
      const settled = await withinBudget(work, this.options.ackBudgetMs);
      if (settled === undefined) {
        // Slow (e.g. forwarding to organizers is retrying): meet the deadline now, show the outcome when ready.
        await ack({ response_action: 'update', view: renderMessageView(plainMessage('Submitting… this takes a moment.'), title) });
        const outcome = await work;
        const shown = 'errors' in outcome ? plainMessage(Object.values(outcome.errors).join('\n')) : outcome;
        await client.views.update({ view_id: view.id, view: renderMessageView(shown, title) });
      } else if ('errors' in settled) {
        await ack({ response_action: 'errors', errors: settled.errors });
      } else {
        await ack({ response_action: 'update', view: renderMessageView(settled, title) });
      }
    });
  }

  /**
   * Who is asking, from which channel of which workspace (`workspace`: the team id, by which a community is chosen).
   * The member and channel are remembered with their workspace, so what the bot later sends them (an RSVP
   * promotion, a post to that channel) goes out with that workspace's token.
   */
  private async caller(client: webApi.WebClient, id: string, name: string, channel: string | undefined, workspace: string | undefined): Promise<Caller> {
    this.options.workspaces.learn(id, workspace);
    if (channel) this.options.workspaces.learn(channel, workspace);
    return { platform: 'slack', id, name, channel, workspace, isOrganizer: await this.options.organizers.isOrganizer(id, workspace, client) };
  }

  /** A message goes back through response_url; a form opens as a modal with the interaction's trigger id. */
  private async deliver(reply: CommandReply, to: { respond: RespondFn; client: webApi.WebClient; triggerId?: string; channel?: string; asNewMessage?: boolean; userId?: string; team?: string }): Promise<void> {
    if ('modal' in reply) {
      if (!to.triggerId) throw new Error(`cannot open modal ${reply.modal.id} without a trigger id`);
      try {
        await to.client.views.open({ trigger_id: to.triggerId, view: renderModal(reply.modal, JSON.stringify({ channel: to.channel })) });
      } catch (error) {
        // Without this the member clicked and nothing happened (an expired trigger id, Slack down): say so, privately.
        this.options.log.warn({ err: error, modal: reply.modal.id }, 'slack views.open failed');
        await to.respond({ ...responseFor(FORM_DID_NOT_OPEN), replace_original: false });
      }
      return;
    }
    let model = reply.message;
    if (model.files?.length && to.userId) {
      const problem = await this.uploadFiles(to.client, address(to.team, to.userId), model.files);
      model = { ...model, files: undefined, footer: [problem ?? 'The file is in your direct messages with the bot.'] };
    }
    await to.respond({ ...responseFor(model), ...(to.asNewMessage ? { replace_original: false } : {}) });
  }

  /**
   * Files that go with an answer: uploaded into the caller's direct messages with the bot (files.uploadV2, with the request's workspace client), since
   * Slack cannot attach a file to an ephemeral answer and a channel upload would show it to everyone there.
   */
  private async uploadFiles(client: webApi.WebClient, userId: string, files: NonNullable<MessageModel['files']>): Promise<string | undefined> {
    try {
      const channel = parseAddress(await this.options.openDirectMessage(userId)).id;
      for (const f of files) {
        await client.filesUploadV2({ channel_id: channel, file: Buffer.from(f.content, 'utf8'), filename: f.name, title: f.name });
      }
      return undefined;
    } catch (error) {
      this.options.log.error({ err: error, files: files.map((f) => f.name) }, 'slack file upload failed');
      return 'The file could not be sent just now; please try again.';
    }
  }
}

/** A message as a slash-command response (in the ack or through response_url). */
function responseFor(m: MessageModel): { response_type: 'ephemeral' | 'in_channel'; text: string; blocks: ReturnType<typeof renderMessage>['blocks'] } {
  const { text, blocks } = renderMessage(m);
  return { response_type: m.ephemeral ? 'ephemeral' : 'in_channel', text, blocks };
}

/** Slack nests input values by block and action id; the dispatcher wants field id → text. */
function inputValues(state: Record<string, Record<string, { value?: string | null }>>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const actions of Object.values(state)) {
    for (const [actionId, input] of Object.entries(actions)) values[actionId] = input.value ?? '';
  }
  return values;
}

function parseMetadata(raw: string): { channel?: string } {
  try {
    return raw ? (JSON.parse(raw) as { channel?: string }) : {};
  } catch {
    return {};
  }
}

function plainMessage(text: string): MessageModel {
  return message({ sections: [{ body: [text] }] });
}
