import type { Config } from '../config';
import type { Destination } from '../chat/adapter';

/** Where announcements go: every configured announcement channel, and the console's when it is on. */
export function announcementDestinations(config: Config): Destination[] {
  return [
    ...(config.slack?.announceChannels ?? []).map((channel) => ({ platform: 'slack' as const, channel })),
    ...(config.discord?.announceChannels ?? []).map((channel) => ({ platform: 'discord' as const, channel })),
    ...(config.console ? [{ platform: 'console' as const, channel: 'announcements' }] : []),
  ];
}

/** Where the organizers hear things: each platform's organizers' channel, and the console when it is on. */
export function organizerDestinations(config: Config): Destination[] {
  return [
    ...(config.slack?.organizersChannel ? [{ platform: 'slack' as const, channel: config.slack.organizersChannel }] : []),
    ...(config.discord?.organizersChannel ? [{ platform: 'discord' as const, channel: config.discord.organizersChannel }] : []),
    ...(config.console ? [{ platform: 'console' as const, channel: 'organizers' }] : []),
  ];
}
