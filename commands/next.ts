import { link, message } from '../src/chat/message';
import { eventLine, presentNextLine } from '../src/chat/present/event';
import { defineCommand } from '../src/commands/definition';

export default defineCommand({
  name: 'next',
  description: 'When and where the next meetup is, in one line',
  usage: '/next: date, time and place of the next meetup, with a calendar link. /agenda shows its full agenda.',
  options: [],

  run({ services }) {
    const now = services.now();
    const catalogue = services.catalogue();
    const settings = services.settings();
    const next = catalogue.next(now);
    if (next) return { message: presentNextLine(next, settings, services.feeds) };
    const last = catalogue.last(now);
    return {
      message: message({
        intro: [
          'No meetup is scheduled yet. ',
          ...(last ? ['The last one: ', ...eventLine(last, { now }), '. '] : []),
          link(services.feeds.page, 'Subscribe to the calendar'),
          ' to hear first, or propose a talk with /cfp.',
        ],
      }),
    };
  },
});
