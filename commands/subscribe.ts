import { safeUrl } from '../src/catalogue/safe-url';
import { code, link, message, type Section } from '../src/chat/message';
import { defineCommand } from '../src/commands/definition';

export default defineCommand({
  name: 'subscribe',
  description: 'Calendar links: every meetup in your calendar, kept up to date',
  usage: '/subscribe: links for Google Calendar, Apple Calendar, Outlook and any app that takes an .ics URL.',
  options: [],

  run({ services }) {
    const { feeds } = services;
    const settings = services.settings();
    const next = services.catalogue().next(services.now());
    const sections: Section[] = [
      { heading: 'Google Calendar', body: [link(feeds.google, 'Add the meetup calendar'), ' (Google refreshes it every few hours).'] },
      // Chat links are http(s)/mailto only, so the one-click webcal:// subscription lives on the page.
      { heading: 'Apple Calendar, Outlook, Thunderbird', body: [link(feeds.page, 'Subscribe with one click'), ' on the subscribe page, or add ', code(feeds.webcal), '.'] },
      { heading: 'Any other calendar app', body: ['Subscribe to this address: ', code(feeds.calendar)] },
    ];
    if (next && !next.dateToBeConfirmed) sections.push({ heading: 'Just the next meetup', body: [link(feeds.event(next.id), `${next.title} (.ics)`)] });
    // Conferences and other multi-day events: their programme, one calendar entry per session.
    const programmes = services.catalogue().upcoming(services.now()).filter((e) => (e.sessions?.length ?? 0) > 0).slice(0, 5);
    if (programmes.length > 0) {
      sections.push({ heading: 'Conference programmes', body: programmes.flatMap((e, i) => [...(i > 0 ? ['\n'] : []), link(feeds.talks(e.id), `${e.title}: every session (.ics)`)]) });
    }
    return {
      message: message({
        title: `Subscribe to ${settings.name} meetups`,
        intro: ['One calendar with every meetup. It updates itself when a date, a room or an agenda changes.'],
        sections,
        buttons: [{ id: 'subscribe:page', label: 'All the ways to subscribe', url: safeUrl(feeds.page) }].filter((b) => b.url),
        footer: [settings.hashtag],
      }),
    };
  },
});
