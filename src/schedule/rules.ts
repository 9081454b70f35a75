import type { Duration } from 'luxon';
import type { Platform } from '../chat/adapter';

/** What a rule's time is measured from: the meetup's start, or the day the call for talks closes. */
export type RuleAnchor = 'meetup' | 'cfp-deadline';

export type RuleTiming =
  /** As soon as the bot first sees the meetup in the data. */
  | { kind: 'published' }
  /** `offset` from the anchor (negative = before), then moved to `at` local time when given. */
  | { kind: 'offset'; offset: Duration; at?: { hour: number; minute: number }; orWhenPublished: boolean };

export interface DestinationFilter {
  platforms?: Platform[];
  /** Explicit destinations ("slack:C0ANNOUNCE"); when absent, every configured announce channel. */
  channels?: { platform: Platform; channel: string }[];
}

export interface AnnouncementRule extends DestinationFilter {
  id: string;
  of: RuleAnchor;
  timing: RuleTiming;
  /** Message text with placeholders, see PLACEHOLDERS. */
  template: string;
  /** Append the meetup's agenda (times, talks, speakers) below the text. */
  agenda: boolean;
  /** Overrides the scheduler's catch-up grace window for this rule. */
  graceMinutes?: number;
}

export interface AnnouncementTemplates {
  /** `/announce schedule <when> <event id>`: an organizer's ad-hoc post about one meetup. */
  event: string;
  /** Posted where a meetup was announced when it is cancelled. */
  cancellation: string;
  /** With ANNOUNCE_CHANGES=update: posted when an announced meetup's agenda changes. */
  updated: string;
}

export interface AnnouncementRules {
  rules: AnnouncementRule[];
  messages: AnnouncementTemplates;
}

/** Placeholders each kind of template may use; anything else in braces is a diagnostic, not a silent "{typo}". */
export const PLACEHOLDERS: Record<RuleAnchor, readonly string[]> = {
  meetup: ['title', 'date', 'time', 'venue', 'url', 'hashtag', 'name'],
  'cfp-deadline': ['deadline', 'submit', 'contact', 'hashtag', 'name'],
};

export const RULES_FILE = 'announcements.yml';

/**
 * Used until announcements.yml has been read successfully once: no automatic posts (a broken file must not
 * post surprises), but cancellations and updates of what was already announced still have words.
 */
export const FALLBACK_RULES: AnnouncementRules = {
  rules: [],
  messages: {
    event: '{title}, {date} at {venue}. Details: {url} {hashtag}',
    cancellation: 'Cancelled: {title} on {date} will not take place. {hashtag}',
    updated: 'Update: the agenda of {title} ({date}) has changed. Here is the current one:',
  },
};
