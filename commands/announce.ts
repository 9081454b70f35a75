import type { DateTime } from 'luxon';
import { message, time, toPlainText, type MessageModel, type RichText } from '../src/chat/message';
import { clip, linesToSections } from '../src/chat/present/fit';
import { ArgumentError, defineCommand, type CommandServices, type PlannedPost, type ScheduledPostSummary } from '../src/commands/definition';
import { POST_TEXT_MAX } from '../src/schedule/announcements';
import { splitWhen, WHEN_EXAMPLES } from '../src/schedule/when';

const PREVIEW_LINES_MAX = 25;
const PREVIEW_TEXT_MAX = 300;

export default defineCommand({
  name: 'announce',
  description: 'Organizers: schedule, preview, cancel or pause the bot’s announcements',
  organizerOnly: true,
  usage: [
    '/announce schedule <when> <text or meetup id>: post at a time, e.g. /announce schedule tomorrow 10:00 Doors open at 18:30!',
    `   when: ${WHEN_EXAMPLES}; "next" as the text announces the next meetup`,
    '/announce list: scheduled posts',
    '/announce cancel <id>: drop a scheduled post',
    '/announce preview [id]: exactly what would be posted, where and when (without an id: everything planned)',
    '/announce pause | resume: hold all posts; on resume, what fell due meanwhile goes out only if still recent',
  ].join('\n'),
  options: [],
  subcommands: [
    {
      name: 'schedule',
      description: 'Post text or a meetup announcement to the announce channels at a time',
      organizerOnly: true,
      options: [
        { name: 'when', description: 'Local time: "2026-12-01 18:00", "in 2h", "tomorrow 10:00"', type: 'string', required: true, maxLength: 60 },
        { name: 'what', description: 'Text to post, or a meetup id ("next" for the next meetup)', type: 'string', required: true, rest: true, maxLength: POST_TEXT_MAX + 60 },
      ],
    },
    { name: 'list', description: 'Scheduled posts', organizerOnly: true, options: [] },
    {
      name: 'cancel',
      description: 'Drop a scheduled post',
      organizerOnly: true,
      options: [{ name: 'id', description: 'Number from /announce list', type: 'integer', required: true }],
    },
    {
      name: 'preview',
      description: 'Exactly what would be posted, where and when; sends nothing',
      organizerOnly: true,
      options: [{ name: 'id', description: 'A scheduled post (default: everything planned)', type: 'integer' }],
    },
    { name: 'pause', description: 'Hold every post until resume', organizerOnly: true, options: [] },
    { name: 'resume', description: 'Post again; what fell due meanwhile goes out only if still recent', organizerOnly: true, options: [] },
  ],

  async run({ input, caller, services }) {
    const announcements = services.announcements;
    switch (input.subcommand) {
      case 'schedule':
        return reply(await schedule(services, String(input.options.when ?? ''), String(input.options.what ?? ''), caller));
      case 'list':
        return reply(await list(services));
      case 'cancel': {
        const post = await announcements.cancel(Number(input.options.id), caller);
        return reply(message({ intro: [`Cancelled #${post.id} (it was due `, time(post.dueAt, 'full'), '). Nothing of it will be posted.'] }));
      }
      case 'preview':
        return reply(input.options.id === undefined ? await previewAll(services) : await previewOne(services, Number(input.options.id)));
      case 'pause':
        await announcements.pause(caller);
        return reply(
          message({
            intro: ['Announcements are paused: nothing is posted until /announce resume. Posts that fall due meanwhile go out on resume only if they are still recent; older ones are skipped and reported here.'],
          }),
        );
      case 'resume':
        return reply(message({ intro: [(await announcements.resume(caller)) ? 'Announcements resumed. Recent posts that fell due during the pause go out within a minute.' : 'Announcements were not paused.'] }));
      default:
        throw new ArgumentError('Try /announce schedule, list, cancel, preview, pause or resume. /help announce explains them.');
    }
  },
});

function reply(m: MessageModel): { message: MessageModel } {
  return { message: { ...m, ephemeral: true } };
}

async function schedule(services: CommandServices, when: string, what: string, caller: Parameters<CommandServices['announcements']['schedule']>[2]): Promise<MessageModel> {
  const now = services.now();
  const zone = services.settings().timeZone;
  // Free-text platforms split the line at the first space; the time may have several words: rejoin and split again.
  const split = splitWhen(`${when} ${what}`, now, zone);
  if (!split) throw new ArgumentError(`Start with when to post, like ${WHEN_EXAMPLES}, then the text or a meetup id.`);
  const post = await services.announcements.schedule(split.when, content(services, split.rest), caller);
  const planned = await services.announcements.preview(post.id);
  const sections = linesToSections(undefined, [describePost(services, post)]);
  if (await services.announcements.paused()) {
    sections.push({ heading: 'Announcements are paused', body: ['It goes out only if /announce resume comes before it is too late.'] });
  }
  return message({
    title: `Scheduled #${post.id}`,
    intro: ['Posts ', time(post.dueAt, 'full'), ` to ${destinations(planned)}.`],
    sections,
    footer: [`/announce preview ${post.id} shows exactly what goes out; /announce cancel ${post.id} drops it.`],
  });
}

/** "next" or a meetup id announces that meetup; anything else is text to post as written. */
function content(services: CommandServices, rest: string): { text?: string; eventId?: string } {
  const word = rest.trim();
  const catalogue = services.catalogue();
  if (/^next$/i.test(word)) {
    const next = catalogue.next(services.now());
    if (!next) throw new ArgumentError('There is no upcoming meetup to announce. Write the text to post instead.');
    return { eventId: next.id };
  }
  if (catalogue.byId(word)) return { eventId: word };
  return { text: rest };
}

async function list(services: CommandServices): Promise<MessageModel> {
  const posts = await services.announcements.list();
  const paused = await services.announcements.paused();
  const lines = posts.map((p) => describePost(services, p));
  return message({
    title: 'Scheduled posts',
    intro: paused ? ['Announcements are paused (by ', paused.by, ' since ', time(paused.at, 'full'), '). /announce resume posts again.'] : undefined,
    sections: linesToSections(undefined, lines.length > 0 ? lines : [['Nothing scheduled. /announce schedule <when> <text> adds a post.']]),
    footer: ['/announce preview also shows the automatic announcements and reminders.'],
  });
}

function describePost(services: CommandServices, post: ScheduledPostSummary): RichText {
  const what: RichText = post.eventId
    ? ['announcement of ', services.catalogue().byId(post.eventId)?.title ?? post.eventId]
    : [`“${clip((post.text ?? '').replace(/\s+/g, ' '), 120)}”`];
  return [`#${post.id} · `, time(post.dueAt, 'full'), ' · ', ...what, ` · by ${post.createdBy}`];
}

async function previewOne(services: CommandServices, id: number): Promise<MessageModel> {
  const planned = await services.announcements.preview(id);
  const first = planned[0];
  if (!first) throw new ArgumentError(`#${id} has no channel to go to: no announce channels are configured.`);
  const header: RichText = [`Preview of #${id}: posts `, time(first.dueAt, 'full'), ` to ${destinations(planned)}. It will look like this:`];
  if (first.label.includes('will be skipped')) header.push(` (${first.label})`);
  return { ...first.message, intro: [...header, '\n\n', ...(first.message.intro ?? [])] };
}

/** Everything planned, one line per post (several channels with the same message share a line). */
async function previewAll(services: CommandServices): Promise<MessageModel> {
  const groups = groupPlanned(await services.announcements.preview());
  const shown = groups.slice(0, PREVIEW_LINES_MAX);
  const lines: RichText[] = shown.map((g) => [time(g.dueAt, 'full'), ` · ${g.label} → ${destinations(g.posts)}\n`, clip(toPlainText(g.posts[0]!.message).replace(/\s+/g, ' '), PREVIEW_TEXT_MAX)]);
  if (groups.length > shown.length) lines.push([`… and ${groups.length - shown.length} more`]);
  return message({
    title: 'Planned posts',
    intro: (await services.announcements.paused()) ? ['Announcements are paused: none of this goes out until /announce resume.'] : undefined,
    sections: linesToSections(undefined, lines.length > 0 ? lines : [['Nothing planned in the coming weeks.']]),
    footer: ['/announce preview <id> shows one scheduled post in full.'],
  });
}

function groupPlanned(posts: PlannedPost[]): { dueAt: DateTime; label: string; posts: PlannedPost[] }[] {
  const groups = new Map<string, { dueAt: DateTime; label: string; posts: PlannedPost[] }>();
  for (const post of posts) {
    const key = `${post.dueAt.toMillis()}|${post.label}`;
    const group = groups.get(key) ?? { dueAt: post.dueAt, label: post.label, posts: [] };
    group.posts.push(post);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function destinations(posts: PlannedPost[]): string {
  return posts.map((p) => `${p.platform} ${p.channel}`).join(', ');
}
