import { linkItem, message } from '../src/chat/message';
import { eventLine } from '../src/chat/present/event';
import { linesToSections } from '../src/chat/present/fit';
import { ArgumentError, defineCommand } from '../src/commands/definition';

const PAST_DEFAULT = 5;
const PAST_MAX = 20;
/** Planned meetups are few; a longer list belongs in the calendar, not in a chat message. */
const UPCOMING_MAX = 10;

export default defineCommand({
  name: 'events',
  description: 'Upcoming meetups and the most recent past ones',
  usage: `/events: what is coming up and the last ${PAST_DEFAULT} meetups. /events 10 lists more past ones (at most ${PAST_MAX}).`,
  options: [{ name: 'past', description: `How many past meetups to list (default ${PAST_DEFAULT}, at most ${PAST_MAX})`, type: 'integer' }],

  run({ input, services }) {
    const past = Number(input.options.past ?? PAST_DEFAULT);
    if (past < 0 || past > PAST_MAX) throw new ArgumentError(`past must be between 0 and ${PAST_MAX}, got ${past}.`);
    const now = services.now();
    const catalogue = services.catalogue();
    const settings = services.settings();
    // Cancelled meetups still show, marked, so nobody turns up to one.
    const upcoming = catalogue.events.filter((e) => e.end > now);
    const shown = upcoming.slice(0, UPCOMING_MAX).map((e) => eventLine(e, { now }));
    if (upcoming.length > UPCOMING_MAX) shown.push([`… and ${upcoming.length - UPCOMING_MAX} more: /subscribe puts them all in your calendar`]);
    const recent = catalogue.past(now).slice(0, past);
    return {
      message: message({
        title: `${settings.name} meetups`,
        sections: [
          ...linesToSections('Coming up', shown.length > 0 ? shown : [['Nothing scheduled yet. Have a talk idea? Try /cfp.']]),
          ...(past > 0 ? linesToSections('Recent', recent.length > 0 ? recent.map((e) => eventLine(e, { now })) : [['No meetups yet.']]) : []),
        ],
        links: linkItem(services.feeds.page, 'Subscribe to the calendar'),
        footer: ['/agenda <month or name> shows one meetup, e.g. /agenda last'],
      }),
    };
  },
});
