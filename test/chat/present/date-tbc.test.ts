import { richToPlain, toPlainText } from '../../../src/chat/message';
import { eventLine, presentAgenda, presentNextLine } from '../../../src/chat/present/event';
import { berlin, makeEvent, makeSettings } from '../../helpers/events';
import { TEST_FEEDS } from '../../helpers/services';

/** The Netlight 2025 post's first version: only its publication date, 10 March, which is not the meetup's. */
const guessed = makeEvent({ id: 'netlight-2025', title: 'SRE Munich at Netlight 2025', start: berlin('2025-03-10T18:00'), end: berlin('2025-03-10T21:00'), dateToBeConfirmed: true });

describe('a meetup whose date is to be confirmed, in chat', () => {
  it('says "date to be confirmed" and never shows the placeholder date', () => {
    const texts = [
      toPlainText(presentAgenda(guessed, makeSettings(), TEST_FEEDS, { now: berlin('2025-03-10T22:00') })),
      toPlainText(presentNextLine(guessed, makeSettings(), TEST_FEEDS)),
      richToPlain(eventLine(guessed)),
    ];
    for (const text of texts) {
      expect(text).toMatch(/date to be confirmed/i);
      expect(text).not.toMatch(/10 Mar|Mar 10|2025-03-10/);
    }
    // Its placeholder is in the past, but the meetup has not taken place.
    expect(texts[0]).not.toContain('took place');
  });

  it('a meetup with its date shows it as before', () => {
    const dated = { ...guessed, dateToBeConfirmed: undefined, start: berlin('2025-04-14T18:00'), end: berlin('2025-04-14T21:00') };
    expect(richToPlain(eventLine(dated))).toMatch(/14 Apr 2025/);
    expect(richToPlain(eventLine(dated))).not.toMatch(/confirmed/);
  });
});
