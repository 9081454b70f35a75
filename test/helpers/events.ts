import { DateTime } from 'luxon';
import type { MeetupEvent, Talk } from '../../src/catalogue/event';
import type { CommunitySettings } from '../../src/catalogue/settings';
import { url } from './url';

export const ZONE = 'Europe/Berlin';

/** A Berlin wall time, e.g. berlin('2024-07-10T18:30'). */
export function berlin(iso: string): DateTime {
  return DateTime.fromISO(iso, { zone: ZONE });
}

/** A real-shaped event (the July 2024 meetup at Celonis) with overrides, for tests that need one quickly. */
export function makeEvent(overrides: Partial<MeetupEvent> = {}): MeetupEvent {
  const start = overrides.start ?? berlin('2024-07-10T18:30');
  const talks: Talk[] = overrides.talks ?? [
    {
      title: 'Upgrading thousands of stateful applications across a global Kubernetes infrastructure',
      speakers: [{ name: 'Michael Lex', company: 'ClickHouse' }],
      kind: 'talk',
      abstract: 'How do you upgrade thousands of similar but independent stateful applications running ClickHouse?',
      slides: [{ label: 'Clickhouse', url: url('https://muc.sre.xyz/slides/2024_07/clickhouse.pdf') }],
      start: start.set({ hour: 19, minute: 10 }),
    },
    {
      title: 'Lessons learned from 15 years DevOps',
      speakers: [{ name: 'Paul Stack', company: 'System Initiative' }],
      kind: 'talk',
      abstract: "It's almost 15 years since the inception of DevOps.",
      slides: [],
      start: start.set({ hour: 19, minute: 40 }),
    },
  ];
  return {
    id: 'sre-munich-summer-event-2024',
    title: 'SRE Munich at Celonis 2024',
    summary: 'We’re excited to announce the next Meetup of the Site Reliability Engineering Munich group for July 10th.',
    start,
    end: start.set({ hour: 21, minute: 0 }),
    dateSource: 'prose',
    venue: 'Celonis',
    agenda: [
      { start: start.set({ hour: 18, minute: 30 }), title: 'Get together with food and drinks' },
      { start: start.set({ hour: 19, minute: 0 }), title: 'Celonis welcomes you to SREmuc' },
      { start: talks[0]?.start, title: `Talk 1: ${talks[0]?.title ?? ''}`, talkIndex: 0 },
      { start: talks[1]?.start, title: `Talk 2: ${talks[1]?.title ?? ''}`, talkIndex: 1 },
      { start: start.set({ hour: 20, minute: 30 }), title: 'Networking + Drinks' },
      { start: start.set({ hour: 21, minute: 0 }), title: 'Leave happy and inspired :)' },
    ],
    talks,
    cfp: "We're always looking for 20-45 minute (technical) talks related to the very broad field of Site Reliability Engineering.",
    slides: [],
    recordings: [],
    url: url('https://muc.sre.xyz/posts/sre-munich-summer-event-2024/'),
    status: 'scheduled',
    source: { file: 'events/sre-munich-summer-event-2024.md', publishedAt: berlin('2024-07-07T07:30') },
    ...overrides,
  };
}

export function makeSettings(overrides: Partial<CommunitySettings> = {}): CommunitySettings {
  return {
    name: 'SRE Munich',
    hashtag: '#sremuc',
    contact: 'muc@sre.xyz',
    timeZone: ZONE,
    website: 'https://muc.sre.xyz',
    eventUrlTemplate: '{website}/posts/{id}/',
    cfp: {
      text: "We're always looking for 20-45 minute (technical) talks and 5-8 minute lightning talks.",
      talkMinutes: { min: 20, max: 45 },
      lightningMinutes: { min: 5, max: 8 },
      formats: ['Technical talk (20-45 minutes)', 'Lightning talk (5-8 minutes)', 'Tales from On-call / Featured Post Mortem'],
      submitUrl: 'mailto:muc@sre.xyz',
    },
    ...overrides,
  };
}
