import { DateTime } from 'luxon';
import type { MeetupEvent } from '../src/catalogue/event';
import { link, message, type CommandReply, type MessageModel, type RichText } from '../src/chat/message';
import { eventLine, presentAbstracts, presentAgenda } from '../src/chat/present/event';
import { presentProgramme } from '../src/chat/present/sessions';
import { hasProgramme, programmeView, splitProgrammeQuery, type ProgrammeView } from '../src/catalogue/programme';
import { ArgumentError, defineCommand, type CommandServices } from '../src/commands/definition';

const QUERY_MAX = 100;
const COMPLETIONS = 25;

export default defineCommand({
  name: 'agenda',
  description: 'The agenda of the next meetup, or of one you name',
  usage: [
    '/agenda: the next meetup',
    '/agenda last: the most recent one',
    '/agenda 2023-06, /agenda june 2023, /agenda celonis, /agenda <event id>: a particular one',
    'Add "abstracts" for the talks’ abstracts: /agenda last abstracts',
    'A conference or other multi-day event: /agenda srecon (its days), /agenda srecon tuesday (or day 2, 2016-07-12: that day by room), /agenda srecon now, /agenda srecon goldshtein (sessions by speaker or words)',
  ].join('\n'),
  options: [
    { name: 'event', description: 'next (default), last, a month like 2023-06, a host, a speaker or an event id', type: 'string', maxLength: QUERY_MAX, autocomplete: true, rest: true },
    { name: 'abstracts', description: 'Include the talks’ abstracts', type: 'boolean' },
  ],

  run({ input, services }) {
    const { query, abstracts } = readQuery(String(input.options.event ?? ''), input.options.abstracts === true);
    return { message: agendaFor(query, abstracts, services) };
  },

  autocomplete({ services }, option, typed) {
    if (option !== 'event') return [];
    const words = typed.toLowerCase().split(/\s+/).filter(Boolean);
    const choices: { name: string; value: string }[] = [];
    for (const event of byRelevance(services.catalogue().events, services.now().toMillis())) {
      const completion = completionOf(event);
      if (!words.every((w) => completion.text.includes(w))) continue;
      choices.push({ name: completion.label, value: event.id });
      if (choices.length === COMPLETIONS) break;
    }
    return choices;
  },

  onButton({ services }, action, arg): CommandReply {
    const eventId = arg.split('|')[0]!;
    const event = services.catalogue().byId(eventId);
    if (!event) throw new ArgumentError('That meetup is no longer in the calendar. Try /events for the current list.');
    const settings = services.settings();
    if (action === 'abstracts') return { message: { ...presentAbstracts(event, settings, services.feeds), ephemeral: true } };
    if (action === 'show') return { message: { ...presentAgenda(event, settings, services.feeds, { now: services.now() }), ephemeral: true } };
    if (action === 'day' || action === 'find' || action === 'now') return { message: { ...programmeButton(action, arg, services), ephemeral: true } };
    throw new ArgumentError('That button no longer does anything. Try /agenda.');
  },
});

function agendaFor(query: string, abstracts: boolean, services: CommandServices): MessageModel {
  const now = services.now();
  const catalogue = services.catalogue();
  // "/agenda srecon tuesday": an event with sessions, then a day, now/next, or a speaker or words.
  const programme = splitProgrammeQuery(catalogue, query, now);
  if (programme) return presentProgramme(programme.event, services.settings(), services.feeds, { view: programmeView(programme.event, programme.rest, now), now });
  const found = catalogue.find(query, now);
  if (hasProgramme(found.event)) return presentProgramme(found.event, services.settings(), services.feeds, { view: { kind: 'overview' }, now });
  if (found.event) return presentAgenda(found.event, services.settings(), services.feeds, { abstracts, now });
  if (query === '' || query === 'next') return nothingScheduled(services, now);
  if (['last', 'previous', 'latest'].includes(query)) return message({ intro: ['There has not been a meetup yet. /agenda shows the next one.'], ephemeral: true });
  return didYouMean(query, found.suggestions.map((id) => catalogue.byId(id)).filter((e): e is MeetupEvent => e !== undefined), now);
}

/** A day's page ("<event>|<date>|<page>"), a search's page ("<event>|<words>|<page>") or now/next. */
function programmeButton(action: string, arg: string, services: CommandServices): MessageModel {
  const parts = arg.split('|');
  const event = services.catalogue().byId(parts[0]!)!;
  const page = Number(parts.at(-1)) || 0;
  const view: ProgrammeView = action === 'now' ? { kind: 'now' } : action === 'day' ? { kind: 'day', date: parts[1] ?? '' } : { kind: 'find', words: parts.slice(1, -1).join('|') };
  return presentProgramme(event, services.settings(), services.feeds, { view, page, now: services.now() });
}

/**
 * "abstracts" at the end of the text asks for abstracts on Slack and the console; Discord has a boolean option.
 * Dates are normalised to the YYYY-MM[-DD] form the catalogue searches by.
 */
export function readQuery(text: string, abstracts: boolean): { query: string; abstracts: boolean } {
  let query = text.trim().toLowerCase();
  const withAbstracts = /^(.*?)\s*\babstracts?$/.exec(query);
  if (withAbstracts) {
    query = withAbstracts[1]!.trim();
    abstracts = true;
  }
  return { query: normaliseDate(query), abstracts };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** The community is in Munich: German month names are typed too. */
const GERMAN_MONTHS: Record<string, number> = { mär: 3, mae: 3, mai: 5, okt: 10, dez: 12 };

function monthNumber(word: string): number {
  const prefix = word.slice(0, 3);
  return GERMAN_MONTHS[prefix] ?? MONTHS.indexOf(prefix) + 1;
}

/** "june 2023", "2023/06", "06/2023", "13.06.2023" → "2023-06" / "2023-06-13"; refuses dates that cannot be. */
function normaliseDate(query: string): string {
  const named = /^([a-zä]{3,9})\.?\s+(\d{4})$/.exec(query);
  const reversed = /^(\d{4})\s+([a-zä]{3,9})$/.exec(query);
  const [word, year] = named ? [named[1]!, named[2]!] : reversed ? [reversed[2]!, reversed[1]!] : [];
  if (word && year && monthNumber(word) > 0) return `${year}-${String(monthNumber(word)).padStart(2, '0')}`;
  let iso: string | undefined;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})[-/](\d{1,2})$/.exec(query))) iso = `${m[1]}-${m[2]!.padStart(2, '0')}`;
  else if ((m = /^(\d{1,2})[/.](\d{4})$/.exec(query))) iso = `${m[2]}-${m[1]!.padStart(2, '0')}`;
  else if ((m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(query))) iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  else if ((m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(query))) iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  if (iso === undefined) return query;
  const valid = iso.length === 7 ? DateTime.fromFormat(iso, 'yyyy-MM').isValid : DateTime.fromISO(iso).isValid;
  if (!valid) throw new ArgumentError(`"${query}" is not a date I can read. Use a month like 2023-06 or a day like 2023-06-13.`);
  return iso;
}

/**
 * Nothing announced yet: say so first, then show the last meetup's agenda, which is what people asking right
 * after a meetup (or between two) most often want, and invite a talk for the next one.
 */
function nothingScheduled(services: CommandServices, now: DateTime): MessageModel {
  const last = services.catalogue().last(now);
  const notYet: RichText = ['No meetup is scheduled yet: the date of the next one is not out. ', link(services.feeds.page, 'Subscribe to the calendar'), ' to hear first.'];
  const cfpButton = { id: 'cfp:open', label: 'Submit a talk', style: 'primary' as const };
  if (!last) {
    return message({
      title: 'No meetup scheduled yet',
      intro: notYet,
      sections: [{ heading: 'Speak at the next one', body: ['Have a talk idea? /cfp shows the call for talks.'] }],
      buttons: [cfpButton],
    });
  }
  const agenda = presentAgenda(last, services.settings(), services.feeds, { now });
  return {
    ...agenda,
    // An old post without its meetup date has no intro of its own: the sentence then points at what follows.
    intro: [...notYet, ' Have a talk idea? /cfp shows the call for talks.\n\n', ...(agenda.intro ? ['The last meetup: ', ...agenda.intro] : ['The last meetup is below.'])],
    buttons: [...agenda.buttons, cfpButton],
  };
}

function didYouMean(query: string, suggestions: MeetupEvent[], now: DateTime): MessageModel {
  const intro = `No meetup matches "${query}".`;
  if (suggestions.length === 0) return message({ intro: [intro, ' /events lists them all; /agenda last shows the most recent one.'], ephemeral: true });
  return message({
    intro: [intro, ' Did you mean:'],
    sections: [{ body: suggestions.flatMap((e, i) => [...(i > 0 ? ['\n'] : []), '• ', ...eventLine(e, { withId: true, now })]) }],
    footer: ['Type /agenda with the id, e.g. /agenda ', suggestions[0]!.id],
    ephemeral: true,
  });
}

/** Upcoming meetups soonest first, then past ones most recent first: what people most likely mean. */
function* byRelevance(events: readonly MeetupEvent[], nowMillis: number): Generator<MeetupEvent> {
  const firstUpcoming = events.findIndex((e) => e.end.toMillis() > nowMillis);
  const split = firstUpcoming === -1 ? events.length : firstUpcoming;
  for (let i = split; i < events.length; i++) if (events[i]!.end.toMillis() > nowMillis) yield events[i]!;
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.end.toMillis() <= nowMillis) yield events[i]!;
}

/** What typed words are matched against (`text`), and what the choice shows (`label`). */
function completionOf(e: MeetupEvent): { text: string; label: string } {
  const date = e.start.toISODate() ?? '';
  return {
    text: [e.id, e.title, e.venue, date, ...e.talks.flatMap((t) => t.speakers.map((s) => s.name))].filter(Boolean).join(' ').toLowerCase(),
    label: `${date} · ${e.title}${e.status === 'cancelled' ? ' (cancelled)' : ''}`,
  };
}
