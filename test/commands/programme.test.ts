/**
 * SREcon EMEA 2016 (the seed's Sched schedule, imported) browsed with /agenda: days, a day by room with "More"
 * pages, now/next and sessions by speaker, through the dispatcher and the console chat.
 */
import { toPlainText, type MessageModel } from '../../src/chat/message';
import { programmeWorld } from './programme-world';
import { consoleSession, member, messageOf, plainOf, type World } from './world';

/** Plain text without the session pages' URLs (the console prints "Title (https://…)"). */
const plain = (m: MessageModel) => toPlainText(m).replace(/ \(https:\/\/srecon16europe\.sched\.com\/[^)]*\)/g, '');

const agenda = async (text: string, world = programmeWorld()) => messageOf(await world.dispatcher.runText('agenda', text, member));
const press = async (world: World, id: string) => {
  const [name, action, ...rest] = id.split(':');
  return messageOf(await world.dispatcher.button(`${name}:${action}:${rest.join(':')}`, member));
};

/** Walks a day's "More" buttons and returns every page. */
async function allPages(world: World, first: MessageModel): Promise<MessageModel[]> {
  const pages = [first];
  for (let more = first.buttons.find((b) => b.label.startsWith('More')); more; ) {
    const page = await press(world, more.id);
    pages.push(page);
    more = page.buttons.find((b) => b.label.startsWith('More'));
  }
  return pages;
}

describe('/agenda for a multi-day event', () => {
  it('"/agenda srecon" gives the days, each with a button, and now/next', async () => {
    const m = await agenda('srecon');
    expect(m.title).toBe('SREcon16 Europe');
    const text = plain(m);
    expect(text).toContain('73 sessions over 3 days in 9 rooms');
    expect(text).toContain('Day 1 · Monday 11 July · 21 sessions, from 08:00');
    expect(text).toContain('Day 3 · Wednesday 13 July · 24 sessions, from 08:00');
    expect(m.buttons.map((b) => [b.id, b.label])).toEqual([
      ['agenda:day:srecon-emea-2016|2016-07-11|0', 'Mon 11 Jul'],
      ['agenda:day:srecon-emea-2016|2016-07-12|0', 'Tue 12 Jul'],
      ['agenda:day:srecon-emea-2016|2016-07-13|0', 'Wed 13 Jul'],
      ['agenda:now:srecon-emea-2016', 'Now and next'],
    ]);
    expect(text).toContain('the event runs on IST (Europe/Dublin) time');
  });

  it.each(['srecon monday', 'srecon day 1', 'srecon 1', 'srecon 2016-07-11', 'srecon mon', 'srecon16 europe monday', 'srecon-emea-2016 11.07.'])('"/agenda %s" is Monday by room', async (query) => {
    const m = await agenda(query);
    expect(m.title).toBe('SREcon16 Europe: Monday 11 July');
    expect(m.sections[0]!.heading).toBe('Pre-Function Area');
  });

  it('a day lists every session once, by room, over as many pages as it needs; each page fits the platforms', async () => {
    const world = programmeWorld();
    const pages = await allPages(world, await agenda('srecon tuesday', world));
    const lines = pages.flatMap((p) => p.sections.flatMap((s) => plain({ links: [], buttons: [], fields: [], sections: [s] }).split('\n').slice(1)));
    expect(lines).toHaveLength(28);
    expect(pages.flatMap((p) => p.sections.map((s) => s.heading!.replace(' (continued)', '')))).toEqual(expect.arrayContaining(['Lansdowne', 'Pembroke Room', 'Munster', 'Ulster', '~Herbert', 'TBA']));
    for (const page of pages) {
      expect(toPlainText(page).length).toBeLessThan(5500);
      expect(page.sections.length).toBeLessThanOrEqual(12);
    }
    const munster = pages.flatMap((p) => p.sections).filter((s) => s.heading?.startsWith('Munster'));
    expect(munster.map((s) => plain({ sections: [s], fields: [], links: [], buttons: [] }))).toEqual([
      [
        'Munster',
        '09:00–10:20 · Accident Models in Post Mortems — Will Gallego (Software Engineer, Fastly), Miriam Lauter (Software Engineer, Etsy)',
        '11:00–12:20 · Post Mortem Facilitation — Will Gallego (Software Engineer, Fastly), Miriam Lauter (Software Engineer, Etsy)',
        '13:40–15:00 · Effective Design Review Participation — Kurt Andersen (Program Committee, LinkedIn)',
        '15:40–17:00 · Practical Incident Response — Laura Nolan (Google LLC)',
      ].join('\n'),
    ]);
  });

  it('"now" during the conference: what is on in each room and what comes next', async () => {
    const text = plain(await agenda('srecon now', programmeWorld('2016-07-12T11:10')));
    // 11:10 Berlin is 10:10 in Dublin: the morning sessions are on, the coffee break is next.
    expect(text).toContain('On now');
    expect(text).toContain('Munster: 09:00–10:20 · Accident Models in Post Mortems');
    expect(text).toContain('Ulster: 09:00–12:20 · Statistics for Engineers');
    expect(text).toMatch(/Next\nPre-Function Area: 10:20–11:00 · Break with Refreshments/);
    expect(plain(await agenda('srecon next', programmeWorld('2016-06-30T12:00')))).toContain('First up\nPre-Function Area: 08:00–09:00 · Morning Coffee & Tea');
    expect(toPlainText(await agenda('srecon now', programmeWorld('2024-07-08T12:00')))).toContain('SREcon16 Europe is over');
  });

  it('finds sessions by speaker or words, each with its day, time and room', async () => {
    const text = plain(await agenda('srecon goldshtein'));
    expect(text).toContain('2 sessions.');
    expect(text).toContain('Mon 11 Jul 2016 11:00–17:00 · Munster · Staring into the eBPF Abyss — Sasha Goldshtein (CTO, Sela Group)');
    expect(text).toContain('Tue 12 Jul 2016 11:00–11:40 · Lansdowne · The Next Linux Superpower: eBPF Primer — Sasha Goldshtein (CTO, Sela Group)');
    expect(toPlainText(await agenda('srecon lightning talks'))).toContain('Lightning Talks');
    const none = await agenda('srecon kubernetes');
    expect(none.ephemeral).toBe(true);
    expect(toPlainText(none)).toContain('No session of SREcon16 Europe matches "kubernetes"');
  });

  it('meetups keep their own /agenda: "celonis", "last" and an unknown word are unchanged', async () => {
    expect((await agenda('celonis')).title).toBe('SRE Munich at Celonis 2024');
    expect((await agenda('last', programmeWorld('2024-07-08T12:00'))).title).toBe('SRE+Grafana Munich at nordcloud 2024');
    expect(toPlainText(await agenda('celnois'))).toContain('No meetup matches "celnois"');
  });

  it('on the console: Monday by room, then the Now button', async () => {
    const world = programmeWorld();
    const printed = (await consoleSession(world, ['/agenda srecon monday'])).replace(/ \(https:\/\/srecon16europe\.sched\.com\/[^)]*\)/g, '');
    expect(printed).toContain('SREcon16 Europe: Monday 11 July');
    expect(printed).toContain('Lansdowne+Pembroke');
    expect(printed).toContain('09:00–09:40 · Splicing SRE DNA Sequences in the Biggest Software Company on the Planet — Greg Veith');
    expect(printed).toContain('20:00–21:00 · Open Source Distributed Load Balancing — Stefan Safar (Seznam.cz)');
    expect(plainOf(await world.dispatcher.button('agenda:now:srecon-emea-2016', member))).toContain('On now');
  });
});
