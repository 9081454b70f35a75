import { DateTime } from 'luxon';
import type { MeetupEvent } from '../catalogue/event';
import type { CommunitySettings } from '../catalogue/settings';
import { presentAgenda } from '../chat/present/event';
import { link, message, time, type MessageModel, type RichText } from '../chat/message';
import type { FeedLinks } from '../feeds/links';
import type { AnnouncementRule, AnnouncementTemplates } from './rules';

export interface MessageContext {
  settings: CommunitySettings;
  feeds: FeedLinks;
}

/**
 * Fills a template's placeholders with spans, so that dates become time spans (each reader's own zone on
 * Slack and Discord) and URLs links; everything else stays raw text for the renderers to escape.
 */
export function renderTemplate(template: string, values: Record<string, RichText>): RichText {
  const out: RichText = [];
  let rest = template;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    const [whole, name] = match;
    const at = rest.indexOf(whole);
    if (at > 0) out.push(rest.slice(0, at));
    out.push(...(values[name!] ?? [whole]));
    rest = rest.slice(at + whole.length);
  }
  if (rest) out.push(rest);
  return mergeStrings(out);
}

export function meetupValues(event: MeetupEvent, { settings, feeds }: MessageContext): Record<string, RichText> {
  const url = event.url ?? feeds.page;
  return {
    title: [event.title],
    date: [time(event.start, 'full')],
    time: [time(event.start, 'time')],
    venue: [event.venue ?? (event.online !== undefined ? 'our online meeting' : 'a venue to be announced')],
    url: [link(url, url)],
    hashtag: [settings.hashtag],
    name: [settings.name],
  };
}

/** A meetup rule's post: the template text, with the agenda (times, talks, where) below when the rule asks. */
export function ruleMessage(rule: AnnouncementRule, event: MeetupEvent, ctx: MessageContext): MessageModel {
  return meetupMessage(rule.template, event, ctx, rule.agenda);
}

/** `/announce schedule <when> <event id>`: the announcement of one meetup at an organizer's chosen time. */
export function eventPostMessage(templates: AnnouncementTemplates, event: MeetupEvent, ctx: MessageContext): MessageModel {
  return meetupMessage(templates.event, event, ctx, true);
}

/** With ANNOUNCE_CHANGES=update: a new post carrying the current agenda. */
export function updatedMessage(templates: AnnouncementTemplates, event: MeetupEvent, ctx: MessageContext): MessageModel {
  return meetupMessage(templates.updated, event, ctx, true);
}

export function cancellationMessage(templates: AnnouncementTemplates, event: MeetupEvent, ctx: MessageContext): MessageModel {
  return message({
    title: `Cancelled: ${event.title}`,
    titleUrl: event.url,
    intro: renderTemplate(templates.cancellation, meetupValues(event, ctx)),
  });
}

/** An organizer's own words, posted as they wrote them (renderers still neutralise mentions). */
export function textPostMessage(text: string): MessageModel {
  return message({ intro: [text] });
}

/** The call-for-talks deadline is a date; reminders count days to it in the community's zone. */
export function cfpDeadline(settings: CommunitySettings): DateTime | undefined {
  if (!settings.cfp.deadline) return undefined;
  const day = DateTime.fromISO(settings.cfp.deadline, { zone: settings.timeZone });
  return day.isValid ? day.startOf('day') : undefined;
}

export function cfpMessage(rule: AnnouncementRule, deadline: DateTime, { settings }: MessageContext): MessageModel {
  const submit = settings.cfp.submitUrl;
  const values: Record<string, RichText> = {
    // Plain text on purpose: a date-only time span would show the day before to readers west of Berlin.
    deadline: [deadline.toFormat('ccc d LLL yyyy')],
    submit: submit ? [link(submit, submit.replace(/^mailto:/, ''))] : [settings.contact],
    contact: [settings.contact],
    hashtag: [settings.hashtag],
    name: [settings.name],
  };
  return message({ title: `Call for talks: ${settings.name}`, intro: renderTemplate(rule.template, values) });
}

function meetupMessage(template: string, event: MeetupEvent, ctx: MessageContext, withAgenda: boolean): MessageModel {
  const intro = renderTemplate(template, meetupValues(event, ctx));
  if (!withAgenda) return message({ title: event.title, titleUrl: event.url, intro });
  return { ...presentAgenda(event, ctx.settings, ctx.feeds), intro };
}

function mergeStrings(text: RichText): RichText {
  const out: RichText = [];
  for (const span of text) {
    const last = out[out.length - 1];
    if (typeof span === 'string' && typeof last === 'string') out[out.length - 1] = last + span;
    else if (span !== '') out.push(span);
  }
  return out;
}
