import { lazyMemoryDb } from '../helpers/db';
import { REST } from 'discord.js';
import { DateTime } from 'luxon';
import { Catalogue } from '../../src/catalogue/catalogue';
import type { MeetupEvent } from '../../src/catalogue/event';
import { ScheduledEventSync } from '../../src/chat/discord/scheduled-events';
import type { Db } from '../../src/store/db';
import { FakeDiscord } from '../fakes/discord';
import { makeEvent, makeSettings, ZONE } from '../helpers/events';
import { TEST_FEEDS } from '../helpers/services';
import { capturingLogger } from './discord-harness';
import { url } from '../helpers/url';

const now = DateTime.now().setZone(ZONE);

function meetup(id: string, days: number, overrides: Partial<MeetupEvent> = {}): MeetupEvent {
  const start = now.plus({ days }).set({ hour: 18, minute: 30, second: 0, millisecond: 0 });
  return makeEvent({ id, title: `Meetup ${id}`, start, end: start.plus({ hours: 2 }), url: url(`https://muc.sre.xyz/posts/${id}/`), ...overrides });
}

describe('Discord Scheduled Events and meetups whose date is to be confirmed', () => {
  let discord: FakeDiscord;
  let db: Db;
  beforeEach(async () => {
    discord = await FakeDiscord.start();
    db = lazyMemoryDb();
  });
  afterEach(async () => {
    await db.close();
    await discord.close();
  });

  it('never creates one for a guessed date, and takes back the one made before the date was withdrawn', async () => {
    const rest = new REST({ version: '10', api: discord.apiUrl, retries: 0, offset: 0 }).setToken(discord.token);
    const sync = new ScheduledEventSync({ db, rest, guildId: discord.guildId, log: capturingLogger().log, feeds: TEST_FEEDS });
    const settings = makeSettings();

    const guessed = meetup('netlight-2025', 10, { dateToBeConfirmed: true });
    expect(await sync.sync(new Catalogue([guessed, meetup('summer', 20)]), settings, now)).toMatchObject({ created: 1 });
    expect(discord.scheduledEvents().map((e) => e.name)).toEqual(['Meetup summer']);

    // The organizers wrote the date: now it is synced.
    expect(await sync.sync(new Catalogue([meetup('netlight-2025', 12), meetup('summer', 20)]), settings, now)).toMatchObject({ created: 1 });
    expect(discord.scheduledEvents().map((e) => e.name).sort()).toEqual(['Meetup netlight-2025', 'Meetup summer']);

    // A later edit took the date out again: the Discord event would announce a guess, so it goes.
    await sync.sync(new Catalogue([meetup('netlight-2025', 12, { dateToBeConfirmed: true }), meetup('summer', 20)]), settings, now);
    expect(discord.scheduledEvents().map((e) => e.name)).toEqual(['Meetup summer']);
  });
});
