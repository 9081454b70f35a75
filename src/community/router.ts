import type { Caller } from '../commands/definition';
import type { Dispatcher } from '../chat/dispatch';
import { message, type CommandReply } from '../chat/message';
import { channelsOf } from '../config-communities';
import { commandsTotal } from '../metrics';
import type { Community } from './community';

type Picked = { community: Community; caller: Caller } | { refusal: string };

/**
 * Commands answer from the community the channel, workspace or server belongs to: a channel a community names
 * (announce, organizers or `channels:`) first, so several communities can share one Slack workspace; then the
 * workspace or server. One that belongs to no community gets a clear answer and never another community's data.
 * The console answers from the first community. With one community (no COMMUNITIES_DIR) its dispatcher is used
 * as it is: every workspace and server is its own, as before.
 */
export function communityRouter(communities: readonly Community[]): Dispatcher {
  if (communities.length === 1 && communities[0]!.spec.slug === undefined) return communities[0]!.dispatcher;
  const byChannel = new Map<string, Community>();
  const byWorkspace = new Map<string, Community[]>();
  for (const community of communities) {
    const { slack, discord } = community.spec;
    for (const channel of channelsOf(slack)) byChannel.set(`slack:${channel}`, community);
    for (const channel of channelsOf(discord)) byChannel.set(`discord:${channel}`, community);
    const add = (key: string) => byWorkspace.set(key, [...(byWorkspace.get(key) ?? []), community]);
    if (slack?.team) add(`slack:${slack.team}`);
    if (discord?.guild) add(`discord:${discord.guild}`);
  }

  /**
   * A button in a direct message (RSVP "Not going" on a reminder) comes from no server: the meetup its id names
   * (`<command>:<action>:<meetup id>`) tells the community, when exactly one community has that meetup.
   */
  function meetupOwner(actionId: string): Community | undefined {
    const id = actionId.split(':').slice(2).join(':');
    return id === '' ? undefined : only(communities.filter((c) => c.data.current().catalogue.byId(id) !== undefined));
  }

  function pick(caller: Caller, fromDirectMessage?: Community): Picked {
    const direct = caller.workspace === undefined ? fromDirectMessage : undefined;
    const community =
      caller.platform === 'console'
        ? communities[0]
        : ((caller.channel !== undefined ? byChannel.get(`${caller.platform}:${caller.channel}`) : undefined) ?? only(byWorkspace.get(`${caller.platform}:${caller.workspace ?? ''}`)) ?? direct);
    if (community) return { community, caller: { ...caller, isOrganizer: caller.isOrganizer || organizerHere(community, caller) } };
    commandsTotal.inc({ platform: caller.platform, command: 'unknown', outcome: 'unknown' });
    const where = caller.platform === 'slack' ? 'Slack workspace' : 'Discord server';
    const shared = (byWorkspace.get(`${caller.platform}:${caller.workspace ?? ''}`)?.length ?? 0) > 1;
    return {
      refusal: shared
        ? `This ${where} has several communities, and this channel is none of theirs. Try the command in one of your community's channels.`
        : `This ${where}${caller.workspace ? ` (${caller.workspace})` : ''} is not set up for any community on this bot. The organizers add it to their community's settings.yml (\`${caller.platform === 'slack' ? 'slack: { team: ... }' : 'discord: { guild: "..." }'}\`).`,
    };
  }

  const answer = (refusal: string) => message({ intro: [refusal], ephemeral: true });
  const refused = (refusal: string): CommandReply => ({ message: answer(refusal) });
  return {
    async runText(name, text, caller) {
      const picked = pick(caller);
      return 'refusal' in picked ? refused(picked.refusal) : picked.community.dispatcher.runText(name, text, picked.caller);
    },
    async run(name, input, caller) {
      const picked = pick(caller);
      return 'refusal' in picked ? refused(picked.refusal) : picked.community.dispatcher.run(name, input, picked.caller);
    },
    autocomplete(name, option, typed, caller) {
      const picked = pick(caller);
      return 'refusal' in picked ? [] : picked.community.dispatcher.autocomplete(name, option, typed, picked.caller);
    },
    async button(actionId, caller) {
      const picked = pick(caller, meetupOwner(actionId));
      return 'refusal' in picked ? refused(picked.refusal) : picked.community.dispatcher.button(actionId, picked.caller);
    },
    async modalSubmit(modalId, values, caller) {
      const picked = pick(caller);
      return 'refusal' in picked ? answer(picked.refusal) : picked.community.dispatcher.modalSubmit(modalId, values, picked.caller);
    },
  };
}

function only(list: Community[] | undefined): Community | undefined {
  return list?.length === 1 ? list[0] : undefined;
}

/** A community's own organizers: its Slack member ids, or its Discord organizer role in its server. */
function organizerHere(community: Community, caller: Caller): boolean {
  const { slack, discord } = community.spec;
  if (caller.platform === 'slack') return slack?.organizerUsers.includes(caller.id) ?? false;
  if (caller.platform === 'discord') return discord?.organizerRole !== undefined && caller.workspace === discord.guild && (caller.roles ?? []).includes(discord.organizerRole);
  return false;
}
