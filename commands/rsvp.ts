import type { MeetupEvent } from '../src/catalogue/event';
import { message, type CommandReply, type MessageModel } from '../src/chat/message';
import { defineCommand, type CommandContext, type CommandOption } from '../src/commands/definition';
import { ArgumentError } from '../src/commands/definition';
import { guestListCsv } from '../src/rsvp/csv';
import { nameForm, presentAnswer, presentGuestList, presentMine, rsvpForm } from '../src/rsvp/present';
import type { Choice } from '../src/rsvp/service';

const EVENT: CommandOption = { name: 'event', description: 'next (default), a month like 2025-04, a host or an event id', type: 'string', maxLength: 100, autocomplete: true, rest: true };

export default defineCommand({
  name: 'rsvp',
  description: 'Going or not to a meetup: your RSVP, the waitlist, reminders',
  usage: [
    '/rsvp [event]: your RSVP for the next meetup (or the one you name), with Going / Not going buttons',
    '/rsvp going [event], /rsvp no [event]: answer directly',
    '/rsvp reminders on|off: a direct message the day before (and when you move up from the waitlist)',
    '/rsvp name: give or change the real name hosts register guests with',
    '/rsvp me: everything the bot holds about you; /rsvp forget: delete it',
    '/rsvp list [event], /rsvp export [event]: the guest list and its CSV (organizers)',
  ].join('\n'),
  options: [],
  defaultSubcommand: 'show',
  subcommands: [
    { name: 'show', description: 'Your RSVP for a meetup, with Going / Not going buttons', options: [EVENT] },
    { name: 'going', description: 'RSVP Going (or join the waitlist when full)', options: [EVENT] },
    { name: 'no', description: 'Not going (frees your seat for the waitlist)', options: [EVENT] },
    { name: 'reminders', description: 'Direct messages the day before and on moving up', options: [{ name: 'on', description: 'on or off', type: 'boolean', required: true }] },
    { name: 'name', description: 'Give or change your real name for guest lists', options: [] },
    { name: 'me', description: 'What the bot holds about you', options: [] },
    { name: 'forget', description: 'Delete your RSVPs, real name and reminder choice', options: [] },
    { name: 'list', description: 'Guest list: counts, names, waitlist', organizerOnly: true, options: [EVENT] },
    { name: 'export', description: 'Guest list as a CSV file', organizerOnly: true, options: [EVENT] },
  ],

  async run(ctx) {
    const { input, caller, services } = ctx;
    const rsvp = services.rsvp;
    const query = String(input.options.event ?? '');
    switch (input.subcommand) {
      case 'going':
        return answer(ctx, eventFor(ctx, query), 'going');
      case 'no':
        return answer(ctx, eventFor(ctx, query), 'declined');
      case 'reminders':
        await rsvp.setReminders(caller, input.options.on === true);
        return reply(input.options.on === true ? 'Reminders are on: a direct message the day before each meetup you are going to.' : 'Reminders are off: no direct messages from RSVPs.');
      case 'name':
        return { modal: nameForm('-', (await rsvp.mine(caller)).realName) };
      case 'me': {
        const mine = await rsvp.mine(caller);
        const titleOf = (id: string) => services.catalogue().byId(id)?.title ?? id;
        return { message: presentMine(mine.answers, mine.realName, mine.reminders, titleOf, rsvp.retentionDays) };
      }
      case 'forget': {
        const removed = await rsvp.forget(caller, (id) => services.catalogue().byId(id));
        return reply(removed > 0 ? 'Done: your RSVPs, real name and reminder choice are deleted. Seats you held went to the waitlist.' : 'The bot held nothing about you.');
      }
      case 'list':
        return guestList(ctx, eventFor(ctx, query));
      case 'export':
        return exportCsv(ctx, eventFor(ctx, query));
      default:
        return show(ctx, eventFor(ctx, query));
    }
  },

  autocomplete({ services }, option, typed) {
    if (option !== 'event') return [];
    const now = services.now();
    const words = typed.toLowerCase().split(/\s+/).filter(Boolean);
    return services
      .catalogue()
      .upcoming(now)
      .filter((e) => e.rsvp && words.every((w) => `${e.title} ${e.id}`.toLowerCase().includes(w)))
      .map((e) => ({ name: `${e.start.toFormat('yyyy-MM-dd')} ${e.title}`, value: e.id }));
  },

  async onButton(ctx, action, eventId): Promise<CommandReply> {
    const event = ctx.services.catalogue().byId(eventId);
    if (action === 'name' && !event) return { modal: nameForm('-', (await ctx.services.rsvp.mine(ctx.caller)).realName) };
    if (!event) throw new ArgumentError('That meetup is no longer in the calendar. Try /events for the current list.');
    switch (action) {
      case 'going':
        return answer(ctx, event, 'going');
      case 'no':
        return answer(ctx, event, 'declined');
      case 'remind-on':
      case 'remind-off':
        await ctx.services.rsvp.setReminders(ctx.caller, action === 'remind-on');
        return show(ctx, event);
      case 'name':
        return { modal: nameForm(event.id, (await ctx.services.rsvp.mine(ctx.caller)).realName) };
      case 'export':
        if (!ctx.caller.isOrganizer) throw new ArgumentError('/rsvp export is for organizers only.');
        return exportCsv(ctx, event);
      default:
        throw new ArgumentError('That button no longer does anything. Try /rsvp.');
    }
  },

  async onModalSubmit(ctx, { purpose, values }): Promise<MessageModel> {
    const [kind, eventId = ''] = purpose.split(/:(.*)/s);
    const event = ctx.services.catalogue().byId(eventId);
    if (kind === 'name') {
      await ctx.services.rsvp.setRealName(ctx.caller, values.realName ?? '');
      return event ? await current(ctx, event) : reply('Saved. Organizers see this name on the guest lists of meetups that need one.').message;
    }
    if (kind !== 'going' || !event) throw new ArgumentError('This form is no longer in use. Try /rsvp.');
    const result = await ctx.services.rsvp.respond(event, ctx.caller, 'going', { realName: values.realName, answer: values.answer });
    return current(ctx, event, result.position);
  },
});

function eventFor({ services }: CommandContext, query: string): MeetupEvent {
  const now = services.now();
  const catalogue = services.catalogue();
  const q = query.trim().toLowerCase();
  const event = q === '' || q === 'next' ? (catalogue.upcoming(now).find((e) => e.rsvp) ?? catalogue.next(now)) : catalogue.find(q, now).event;
  if (!event) throw new ArgumentError(q === '' ? 'No meetup is scheduled yet.' : `No meetup matches "${query}". /events lists them.`);
  return event;
}

async function answer(ctx: CommandContext, event: MeetupEvent, choice: Choice): Promise<CommandReply> {
  const rsvp = ctx.services.rsvp;
  const closed = await rsvp.closedReason(event, choice, ctx.caller);
  if (closed) throw new ArgumentError(closed);
  if (choice === 'going') {
    const missing = await rsvp.missing(event, ctx.caller);
    if (missing.realName || missing.question) {
      const entry = await rsvp.store.entry(event.id, ctx.caller.platform, ctx.caller.id);
      return { modal: rsvpForm(event, missing, { realName: (await rsvp.mine(ctx.caller)).realName, answer: entry?.answer }) };
    }
  }
  const result = await rsvp.respond(event, ctx.caller, choice);
  return { message: await current(ctx, event, result.position) };
}

async function show(ctx: CommandContext, event: MeetupEvent): Promise<CommandReply> {
  if (!event.rsvp) return reply(`${event.title} does not take RSVPs in chat.${event.url ? ` See ${event.url}.` : ''}`);
  return { message: await current(ctx, event) };
}

async function current({ caller, services }: CommandContext, event: MeetupEvent, position?: number): Promise<MessageModel> {
  const rsvp = services.rsvp;
  const entry = await rsvp.store.entry(event.id, caller.platform, caller.id);
  const member = await rsvp.mine(caller);
  return presentAnswer(event, entry, {
    position: position ?? (await rsvp.store.position(event.id, caller.platform, caller.id)),
    reminders: member.reminders,
    realName: member.realName,
    counts: await rsvp.counts(event.id),
  });
}

async function guestList({ services }: CommandContext, event: MeetupEvent): Promise<CommandReply> {
  const rsvp = services.rsvp;
  const interested = await rsvp.interested(event).catch(() => 'unavailable' as const);
  return { message: presentGuestList(event, await rsvp.store.guests(event.id), await rsvp.counts(event.id), interested) };
}

async function exportCsv({ services }: CommandContext, event: MeetupEvent): Promise<CommandReply> {
  const guests = await services.rsvp.store.guests(event.id);
  const file = guestListCsv(event, guests);
  return { message: message({ intro: [`Guest list of ${event.title}: ${guests.length} ${guests.length === 1 ? 'answer' : 'answers'}, in ${file.name}.`], files: [file], ephemeral: true }) };
}

function reply(text: string): { message: MessageModel } {
  return { message: message({ intro: [text], ephemeral: true }) };
}
