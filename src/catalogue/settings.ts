import type { SourceProfileSettings } from '../sources/profile';

/** The community's settings from data/settings.yml: everything a meetup changes without touching code. */
export interface CommunitySettings {
  /** Display name, e.g. "SRE Munich". */
  name: string;
  /** Hashtag put on announcements, with the #. */
  hashtag: string;
  /** Organizers' contact mail. */
  contact: string;
  /** IANA zone for all shown and served times. */
  timeZone: string;
  /** The community website, used to link events (`${website}/events/${id}/` style via eventUrlTemplate). */
  website?: string;
  /** How an event's page URL is built from its id: "{website}" and "{id}" are replaced. */
  eventUrlTemplate?: string;
  cfp: CallForTalks;
  /** How this community's posts and data files are read (front matter keys, headings, languages); see README. */
  source?: SourceProfileSettings;
  /** Where it lives on Slack, when one deployment serves several communities (COMMUNITIES_DIR). */
  slack?: CommunitySlack;
  /** Where it lives on Discord, when one deployment serves several communities. */
  discord?: CommunityDiscord;
  /** Among several communities: its posts come from this website repository instead of its folder's events/. */
  repository?: { url: string; branch: string; path: string };
}

/** A community's part of a Slack app that serves several: its workspace and channels, its organizers. */
export interface CommunitySlack {
  /** The workspace (team id, T0123ABCD): commands from it answer from this community. */
  team?: string;
  /** Announce channels (channel ids). */
  announce: string[];
  /** The organizers' channel. */
  organizers?: string;
  /** Member ids who are organizers here (besides SLACK_ORGANIZER_USER_IDS, the deployment's operators). */
  organizerUsers: string[];
  /** More channels that belong to this community, when several share one workspace. */
  channels: string[];
}

/** A community's Discord server: commands from it answer from this community. */
export interface CommunityDiscord {
  guild?: string;
  announce: string[];
  organizers?: string;
  /** Members with this role (or Manage Events) are organizers in this server. */
  organizerRole?: string;
  channels: string[];
}

export interface CallForTalks {
  /** The call in prose. */
  text: string;
  /** Accepted talk lengths in minutes, e.g. [20, 45] or lightning [5, 8]. */
  talkMinutes: { min: number; max: number };
  lightningMinutes?: { min: number; max: number };
  /** Formats the community welcomes, e.g. "Tales from On-call / Featured Post Mortem". */
  formats: string[];
  /** How to submit outside chat (mail, form URL). */
  submitUrl?: string;
  /** ISO date (YYYY-MM-DD) when the current call closes, if there is one. */
  deadline?: string;
}
