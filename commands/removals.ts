import { message, type CommandReply, type MessageModel } from '../src/chat/message';
import { linesToSections } from '../src/chat/present/fit';
import { ArgumentError, defineCommand, type Caller, type CommandServices } from '../src/commands/definition';
import { removalLine } from '../src/sources/removal-notice';
import { RemovalError } from '../src/sources/removals';

export default defineCommand({
  name: 'removals',
  description: 'Organizers: meetups whose post was deleted, kept until you confirm the cancellation',
  organizerOnly: true,
  defaultSubcommand: 'list',
  usage: [
    '/removals: meetups whose post was deleted from the website while they were upcoming, and their state',
    '/removals confirm <id>: cancel that meetup: the feeds mark it cancelled and the posts announcing it say so',
    'To keep a meetup instead, restore its file (revert the commit): it is back as it was.',
  ].join('\n'),
  options: [],
  subcommands: [
    { name: 'list', description: 'Deleted posts waiting for confirmation, and confirmed ones', organizerOnly: true, options: [] },
    {
      name: 'confirm',
      description: 'Cancel a meetup whose post was deleted',
      organizerOnly: true,
      options: [{ name: 'id', description: 'The meetup id from /removals', type: 'string', required: true, maxLength: 200 }],
    },
  ],

  run({ input, caller, services }) {
    if (input.subcommand === 'confirm') return confirm(services, String(input.options.id ?? '').trim(), caller);
    return { message: { ...list(services), ephemeral: true } };
  },

  onButton({ caller, services }, action, arg): CommandReply {
    if (action === 'confirm') return confirm(services, arg, caller);
    throw new ArgumentError('That button no longer does anything. Try /removals.');
  },
});

function confirm(services: CommandServices, id: string, caller: Caller): CommandReply {
  if (id === '') throw new ArgumentError('Which meetup? /removals confirm <id>; /removals lists them.');
  let title: string;
  try {
    title = services.removals.confirm(id, `${caller.platform}:${caller.name}`).event.title;
  } catch (error) {
    if (error instanceof RemovalError) throw new ArgumentError(error.message);
    throw error;
  }
  return {
    message: message({
      intro: [`Confirmed: ${title} is cancelled. The calendar feeds show it as cancelled, and the posts announcing it are being edited to say so, with a cancellation where it was announced.`],
    }),
  };
}

function list(services: CommandServices): MessageModel {
  const removals = services.removals.all();
  return message({
    title: 'Removed posts',
    sections: linesToSections(undefined, removals.length > 0 ? removals.map(removalLine) : [['No post of an upcoming meetup has been deleted.']]),
    footer: removals.some((r) => r.state === 'pending') ? ['/removals confirm <id> cancels one; restoring its file keeps it.'] : undefined,
  });
}
