import { DateTime } from 'luxon';
import type { CommunitySettings } from '../src/catalogue/settings';
import { bold, link, message, time, type Field, type MessageModel, type ModalModel, type RichText } from '../src/chat/message';
import { clip, linesToSections } from '../src/chat/present/fit';
import { ArgumentError, defineCommand, type CfpSubmission, type CommandContext, type CommandServices } from '../src/commands/definition';
import { cleanProposal, PROPOSAL_FIELDS } from '../src/cfp/submissions';

const LIST_DEFAULT = 10;
const LIST_MAX = 50;

export const SUBMIT_MODAL_ID = 'cfp:submit';
export const OPEN_BUTTON_ID = 'cfp:open';

export default defineCommand({
  name: 'cfp',
  description: 'The call for talks: what we look for and how to propose a talk',
  usage: ['/cfp: the call for talks', '/cfp submit: propose a talk (opens a form)', '/cfp list: recent proposals (organizers)'].join('\n'),
  options: [],
  subcommands: [
    // Discord cannot run a command that has subcommands without one; "show" is what plain /cfp does elsewhere.
    { name: 'show', description: 'The call for talks: formats, lengths, how to submit', options: [] },
    { name: 'submit', description: 'Propose a talk (opens a form)', options: [] },
    {
      name: 'list',
      description: 'Recent talk proposals',
      organizerOnly: true,
      options: [{ name: 'count', description: `How many (default ${LIST_DEFAULT}, at most ${LIST_MAX})`, type: 'integer' }],
    },
  ],

  async run({ input, services }) {
    switch (input.subcommand) {
      case 'submit':
        return { modal: submitModal(services.settings()) };
      case 'list':
        return { message: await listProposals(services, Number(input.options.count ?? LIST_DEFAULT)) };
      default:
        return { message: presentCall(services) };
    }
  },

  onButton({ services }, action) {
    if (action !== 'open') throw new ArgumentError('That button no longer does anything. Try /cfp.');
    return { modal: submitModal(services.settings()) };
  },

  async onModalSubmit(ctx, { purpose, values }) {
    if (purpose !== 'submit') throw new ArgumentError('This form is no longer in use. Try /cfp submit.');
    return submitProposal(ctx, values);
  },
});

function presentCall(services: CommandServices): MessageModel {
  const settings = services.settings();
  const call = settings.cfp;
  const fields: Field[] = [{ name: 'Talks', value: [`${call.talkMinutes.min}-${call.talkMinutes.max} minutes`], inline: true }];
  if (call.lightningMinutes) fields.push({ name: 'Lightning talks', value: [`${call.lightningMinutes.min}-${call.lightningMinutes.max} minutes`], inline: true });
  const deadline = call.deadline ? DateTime.fromISO(call.deadline, { zone: settings.timeZone }).endOf('day') : undefined;
  const closed = deadline !== undefined && deadline < services.now();
  if (deadline?.isValid) fields.push({ name: closed ? 'Closed on' : 'Deadline', value: [time(deadline, 'date')], inline: true });

  const howTo: RichText = ['Press ', bold('Submit a talk'), ' below or type /cfp submit'];
  if (call.submitUrl) howTo.push(', or send it to ', link(call.submitUrl, call.submitUrl.replace(/^mailto:/, '')));
  howTo.push('. First-time speakers are welcome; the organizers help with the rest.');
  return message({
    title: `Call for talks: ${settings.name}`,
    intro: [
      ...(closed ? ['The call for the coming meetup has closed; proposals for later meetups are still welcome. '] : []),
      call.text,
    ],
    fields,
    sections: [
      ...linesToSections('Formats', call.formats.map((f) => ['• ', f])),
      { heading: 'How to submit', body: howTo },
      { heading: 'Questions', body: [settings.contact] },
    ],
    buttons: [{ id: OPEN_BUTTON_ID, label: 'Submit a talk', style: 'primary' }],
    footer: [settings.hashtag],
  });
}

function submitModal(settings: CommunitySettings): ModalModel {
  const { talkMinutes, lightningMinutes } = settings.cfp;
  const lengthHint = `talk (${talkMinutes.min}-${talkMinutes.max} min)${lightningMinutes ? `, lightning (${lightningMinutes.min}-${lightningMinutes.max} min)` : ''} or minutes`;
  const field = (id: keyof typeof PROPOSAL_FIELDS, label: string, style: 'short' | 'paragraph', placeholder: string) => ({
    id,
    label,
    style,
    required: true,
    maxLength: PROPOSAL_FIELDS[id].max,
    minLength: PROPOSAL_FIELDS[id].min,
    placeholder,
  });
  return {
    id: SUBMIT_MODAL_ID,
    title: 'Submit a talk',
    submitLabel: 'Send proposal',
    fields: [
      field('title', 'Title', 'short', 'What is your talk called?'),
      field('abstract', 'Abstract', 'paragraph', 'What will people take home? A few sentences are plenty.'),
      field('length', 'Length', 'short', lengthHint),
      field('speaker', 'Speaker', 'short', 'Your name, and your company if you like'),
      field('contact', 'How can we reach you?', 'short', 'Email address or chat handle'),
    ],
  };
}

async function submitProposal({ caller, services }: CommandContext, values: Record<string, string>): Promise<MessageModel> {
  const clean = cleanProposal({
    title: values.title ?? '',
    abstract: values.abstract ?? '',
    length: values.length ?? '',
    speaker: values.speaker ?? '',
    contact: values.contact ?? '',
  }, services.settings().cfp);
  const submission = await services.cfp.submit(caller, clean);
  let forwarded = true;
  try {
    await services.notifyOrganizers(proposalForOrganizers(submission));
  } catch {
    // The proposal is stored either way; /cfp list shows it to the organizers.
    forwarded = false;
  }
  return message({
    title: 'Thank you!',
    intro: [
      'We received “',
      submission.title,
      '”. The organizers will get back to you at ',
      submission.contact,
      '.',
      ...(forwarded ? [] : [' (They could not be notified just now; they will find it with /cfp list.)']),
    ],
    ephemeral: true,
  });
}

function proposalForOrganizers(s: CfpSubmission): MessageModel {
  return message({
    title: 'New talk proposal',
    intro: [bold(s.title)],
    fields: proposalFields(s),
    sections: [{ heading: 'Abstract', body: [clip(s.abstract, 1000)] }],
    footer: [`Proposal #${s.id} · /cfp list shows all recent proposals`],
  });
}

function proposalFields(s: CfpSubmission): Field[] {
  return [
    { name: 'Speaker', value: [s.speaker], inline: true },
    { name: 'Length', value: [s.length], inline: true },
    { name: 'Contact', value: [s.contact], inline: true },
    { name: 'Sent by', value: [s.userName, ` on ${s.platform}, `, time(s.createdAt, 'full')] },
  ];
}

async function listProposals(services: CommandServices, count: number): Promise<MessageModel> {
  if (!Number.isInteger(count) || count < 1 || count > LIST_MAX) throw new ArgumentError(`count must be between 1 and ${LIST_MAX}, got ${count}.`);
  const submissions = await services.cfp.list(count);
  if (submissions.length === 0) return message({ intro: ['No talk proposals yet.'], ephemeral: true });
  const lines = submissions.map((s): RichText => [
    bold(clip(s.title, 150)),
    ` — ${clip(s.speaker, 100)} · ${s.length}`,
    '\n',
    `   #${s.id} · ${clip(s.contact, 100)} · from ${clip(s.userName, 60)} on ${s.platform}, `,
    time(s.createdAt, 'date'),
  ]);
  return message({
    title: `Talk proposals (latest ${submissions.length})`,
    sections: linesToSections(undefined, lines),
    ephemeral: true,
  });
}
