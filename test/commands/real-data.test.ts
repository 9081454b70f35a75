/**
 * The 13 real SRE Munich posts in data/, loaded by src/sources, through every command and presenter: whatever
 * shapes the community's posts take, each answer must read sensibly and fit Slack's and Discord's limits.
 */
import path from 'node:path';
import { richToPlain, toPlainText, type MessageModel } from '../../src/chat/message';
import { renderMessage as renderDiscord } from '../../src/chat/discord/render';
import { presentAbstracts, presentAgenda } from '../../src/chat/present/event';
import { cancellationMessage, ruleMessage, updatedMessage } from '../../src/schedule/messages';
import { loadAnnouncementRules } from '../../src/schedule/rules-file';
import { LIMITS, renderMessage as renderSlack } from '../../src/chat/slack/render';
import { loadData } from '../../src/sources/load';
import { TEST_FEEDS } from '../helpers/services';
import { makeWorld, member, messageOf, plainOf } from './world';

const DATA = path.resolve(__dirname, '..', '..', 'data');
const loaded = loadData(DATA);
const events = loaded.catalogue.events;
/** The scheduler's posts, from the shipped rules and templates. */
const announcements = loadAnnouncementRules(path.join(DATA, 'announcements.yml')).rules!;
const post = { settings: loaded.settings, feeds: TEST_FEEDS };

describe('the real posts in data/', () => {
  it('are all loaded', () => {
    expect(events).toHaveLength(13);
  });

  const presenters: [string, (e: (typeof events)[number]) => MessageModel][] = [
    ['agenda', (e) => presentAgenda(e, loaded.settings, TEST_FEEDS)],
    ['agenda with abstracts', (e) => presentAgenda(e, loaded.settings, TEST_FEEDS, { abstracts: true })],
    ['abstracts', (e) => presentAbstracts(e, loaded.settings, TEST_FEEDS)],
    ...announcements.rules
      .filter((rule) => rule.of === 'meetup')
      .map((rule): [string, (e: (typeof events)[number]) => MessageModel] => [`rule ${rule.id}`, (e) => ruleMessage(rule, e, post)]),
    ['agenda updated', (e) => updatedMessage(announcements.messages, e, post)],
    ['cancellation', (e) => cancellationMessage(announcements.messages, e, post)],
  ];

  it.each(events.map((e) => [e.id, e] as const))('%s: every message fits Slack and Discord without losing the footer', (_id, event) => {
    for (const [name, present] of presenters) {
      const m = present(event);
      const slack = renderSlack(m);
      expect({ name, blocks: slack.blocks.length <= LIMITS.blocks }).toEqual({ name, blocks: true });
      expect(JSON.stringify(slack.blocks)).not.toContain('not shown here');
      const discord = renderDiscord(m);
      const embedText = discord.embeds.reduce((n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((k, f) => k + f.name.length + f.value.length, 0), 0);
      expect({ name, fits: embedText <= 6000 }).toEqual({ name, fits: true });
      if (m.footer) expect(discord.embeds.at(-1)?.footer?.text).toBe(richToPlain(m.footer));
      expect(toPlainText(m)).not.toMatch(/undefined|NaN|\[object Object\]|Invalid DateTime/);
    }
  });

  it('/agenda finds each by id, month and host, as members type them', async () => {
    const world = makeWorld({ events: [...events], now: '2025-01-15T12:00' });
    for (const event of events) {
      expect(messageOf(await world.dispatcher.runText('agenda', event.id, member)).title).toBe(event.title);
    }
    expect(messageOf(await world.dispatcher.runText('agenda', 'celonis', member)).title).toBe('SRE Munich at Celonis 2024');
    expect(messageOf(await world.dispatcher.runText('agenda', '2024-07', member)).title).toBe('SRE Munich at Celonis 2024');
    expect(messageOf(await world.dispatcher.runText('agenda', 'last', member)).title).toBe(loaded.catalogue.last(world.clock.now())!.title);
    const text = plainOf(await world.dispatcher.runText('agenda', 'celonis abstracts', member));
    expect(text).toContain('Michael Lex');
    expect(text).toContain('How do you upgrade thousands of similar but independent stateful applications');
  });

  it('/events lists the recent real meetups, /next says none is scheduled after the last one', async () => {
    const world = makeWorld({ events: [...events], now: '2025-01-15T12:00' });
    const listed = plainOf(await world.dispatcher.runText('events', '13', member));
    for (const event of events) expect(listed).toContain(event.title);
    expect(plainOf(await world.dispatcher.runText('next', '', member))).toMatch(/^No meetup is scheduled yet\. The last one: /);
  });

  it('the six posts that give only their publication date say when they were posted, not "to be confirmed"', async () => {
    const undated = events.filter((e) => e.dateToBeConfirmed);
    expect(undated).toHaveLength(6);
    const world = makeWorld({ events: [...events], now: '2026-12-02T10:00' });
    const last = plainOf(await world.dispatcher.runText('agenda', 'last', member));
    expect(last).toMatch(/^SRE Munich at nordcloud 2024/);
    expect(last).toContain('When: posted Tue 24 Sep 2024; the meetup date is not in the post');
    expect(last).not.toMatch(/to be confirmed/i);
    const listed = plainOf(await world.dispatcher.runText('events', '13', member));
    expect(listed).not.toMatch(/to be confirmed/i);
    expect(listed.match(/the meetup date is not in the post/g)).toHaveLength(6);
    expect(listed).toContain('posted Thu 3 May 2018; the meetup date is not in the post');
  });
});
