import { bold, code, link, message, time } from '../../src/chat/message';
import { escapeText } from '../../src/chat/slack/escape';
import { LIMITS, renderMessage, renderModal, splitMrkdwn, truncate } from '../../src/chat/slack/render';
import { berlin } from '../helpers/events';
import { url } from '../helpers/url';

const ZWJ = '\u200d';

describe('Slack renderer', () => {
  it('escapes &, <, > and defuses every kind of mention in data text, blocks and fallback alike', () => {
    const hostile = 'Pizza & <!channel> <!here> <!everyone> @everyone @here @channel <@U123> <!subteam^S42|@sre> <https://evil|x>';
    const m = message({ title: 'Talk by <@U123> & @here', sections: [{ heading: 'Q&A <!here>', body: [hostile] }] });
    const { blocks, text } = renderMessage(m);

    const expected =
      `Pizza &amp; &lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; @${ZWJ}everyone @${ZWJ}here @${ZWJ}channel ` +
      `&lt;@U123&gt; &lt;!subteam^S42|@sre&gt; &lt;https://evil|x&gt;`;
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: `Talk by &lt;@U123&gt; &amp; @${ZWJ}here`, emoji: true } });
    expect(blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: `*Q&amp;A &lt;!here&gt;*\n${expected}`, verbatim: true } });
    expect(text).toBe(`Talk by &lt;@U123&gt; &amp; @${ZWJ}here\n\nQ&amp;A &lt;!here&gt;\n${expected}`);
    const everything = JSON.stringify({ blocks, text });
    expect(everything).not.toMatch(/<!(channel|here|everyone|subteam)|<@U|@(here|channel|everyone)/);
  });

  it('renders spans: bold, code, links with escaped labels, and times as <!date> with a Berlin fallback', () => {
    const at = berlin('2024-07-10T18:30');
    const { blocks } = renderMessage(
      message({ intro: [bold('Doors'), ' ', time(at), ' · ', time(at, 'time'), ' ', code('a`b'), ' ', link('https://muc.sre.xyz/?a=1&b=2', 'Post <1>')] }),
    );
    expect(blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text:
            `*Doors* <!date^${at.toSeconds()}^{date_short_pretty} at {time}|Wed 10 Jul 2024, 18:30 CEST> · ` +
            `<!date^${at.toSeconds()}^{time}|18:30> \`a'b\` <https://muc.sre.xyz/?a=1&amp;b=2|Post &lt;1&gt;>`,
          verbatim: true,
        },
      },
    ]);
  });

  it('keeps Berlin wall time in the fallback across the October DST change', () => {
    const before = berlin('2024-10-26T19:00');
    const after = berlin('2024-10-27T19:00');
    const { text } = renderMessage(message({ intro: [time(before), ' / ', time(after)] }));
    expect(text).toBe('Sat 26 Oct 2024, 19:00 CEST / Sun 27 Oct 2024, 19:00 CET');
    expect(after.toSeconds() - before.toSeconds()).toBe(25 * 3600);
  });

  it('turns fields into sections of at most 10, buttons into actions with action ids and link buttons with urls', () => {
    const fields = Array.from({ length: 12 }, (_, i) => ({ name: `F${i}`, value: [`v${i}`] }));
    const { blocks } = renderMessage(
      message({
        fields,
        links: [{ label: 'Calendar', url: url('https://muc.sre.xyz/calendar.ics') }],
        buttons: [
          { id: 'agenda:abstracts:sre-2024', label: 'Abstracts', style: 'primary' },
          { id: 'link:slides', label: 'Slides', url: url('https://muc.sre.xyz/slides/x.pdf') },
        ],
        footer: ['#sremuc'],
      }),
    );
    expect(blocks.map((b) => b.type)).toEqual(['section', 'section', 'section', 'actions', 'context']);
    expect((blocks[0] as { fields: unknown[] }).fields).toHaveLength(10);
    expect((blocks[1] as { fields: { text: string }[] }).fields.map((f) => f.text)).toEqual(['*F10*\nv10', '*F11*\nv11']);
    expect(blocks[2]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '<https://muc.sre.xyz/calendar.ics|Calendar>', verbatim: true } });
    expect(blocks[3]).toEqual({
      type: 'actions',
      elements: [
        { type: 'button', action_id: 'agenda:abstracts:sre-2024', text: { type: 'plain_text', text: 'Abstracts', emoji: true }, value: 'agenda:abstracts:sre-2024', style: 'primary' },
        { type: 'button', action_id: 'link:slides', text: { type: 'plain_text', text: 'Slides', emoji: true }, url: url('https://muc.sre.xyz/slides/x.pdf') },
      ],
    });
    expect(blocks[4]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '#sremuc', verbatim: true }] });
  });

  it('respects Block Kit limits: header 150, section text 3000, at most 50 blocks with buttons kept', () => {
    const longBody = Array.from({ length: 400 }, (_, i) => `Line ${i} with some words and a <https://muc.sre.xyz/${i}|link>`).join('\n');
    const many = Array.from({ length: 80 }, (_, i) => ({ heading: `Talk ${i}`, body: [`Abstract ${i}`] }));
    const { blocks } = renderMessage(
      message({ title: 'T'.repeat(300), sections: [{ body: [longBody] }, ...many], buttons: [{ id: 'cfp:open', label: 'Submit a talk' }] }),
    );
    expect(blocks).toHaveLength(LIMITS.blocks);
    const header = blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    for (const b of blocks) {
      const t = (b as { text?: { text: string } }).text?.text ?? '';
      expect(t.length).toBeLessThanOrEqual(3000);
    }
    expect(blocks[blocks.length - 1]?.type).toBe('actions');
    expect(JSON.stringify(blocks[blocks.length - 2])).toMatch(/more parts not shown/);
  });

  it('cuts a long line only between words, never inside &amp; or a <…> token, and loses no text', () => {
    const words = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? `R&amp;D${i}` : i % 3 === 1 ? `<https://muc.sre.xyz/${i}|l${i}>` : `word${i}`));
    const line = words.join(' ');
    for (const max of [30, 41, 64, 97]) {
      const pieces = splitMrkdwn(line, max);
      for (const p of pieces) {
        expect(p.length).toBeLessThanOrEqual(max);
        for (const w of p.split(' ')) expect(words).toContain(w);
      }
      expect(pieces.join(' ')).toBe(line);
    }
  });

  it('cuts a word longer than a section outside its entities', () => {
    const word = 'a&amp;'.repeat(30);
    const pieces = splitMrkdwn(word, 50);
    expect(pieces.join('')).toBe(word);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(50);
      expect(p).not.toMatch(/&[a-z]*$/);
      expect(p).not.toMatch(/^[a-z]*;/);
    }
  });

  it('splits long text at line breaks without cutting a link token in half', () => {
    const line = '<https://muc.sre.xyz/posts/a-long-post-name/|A long post name>';
    const pieces = splitMrkdwn(Array.from({ length: 100 }, () => line).join('\n'), 1000);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) for (const l of p.split('\n')) expect(l).toBe(line);
    expect(truncate('word &amp; more', 8)).toBe('word…');
  });

  it('renders a modal for views.open: callback id, inputs with limits, metadata', () => {
    const view = renderModal(
      {
        id: 'cfp:submit',
        title: 'Submit a talk to SRE Munich meetup',
        submitLabel: 'Submit',
        fields: [
          { id: 'title', label: 'Title', style: 'short', required: true, maxLength: 120, placeholder: 'Tales from On-call' },
          { id: 'abstract', label: 'Abstract', style: 'paragraph', required: false, maxLength: 2000, minLength: 20 },
        ],
      },
      '{"channel":"C1"}',
    );
    expect(view.callback_id).toBe('cfp:submit');
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.private_metadata).toBe('{"channel":"C1"}');
    expect(view.blocks).toEqual([
      {
        type: 'input',
        block_id: 'title',
        optional: false,
        label: { type: 'plain_text', text: 'Title', emoji: true },
        element: { type: 'plain_text_input', action_id: 'title', multiline: false, max_length: 120, placeholder: { type: 'plain_text', text: 'Tales from On-call', emoji: true } },
      },
      {
        type: 'input',
        block_id: 'abstract',
        optional: true,
        label: { type: 'plain_text', text: 'Abstract', emoji: true },
        element: { type: 'plain_text_input', action_id: 'abstract', multiline: true, max_length: 2000, min_length: 20 },
      },
    ]);
  });

  it('links the title to its page in a context line under the header', () => {
    const { blocks } = renderMessage(message({ title: 'SRE Munich at Celonis 2024', titleUrl: url('https://muc.sre.xyz/posts/sre-munich-summer-event-2024/') }));
    expect(blocks[1]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '<https://muc.sre.xyz/posts/sre-munich-summer-event-2024/|muc.sre.xyz/posts/sre-munich-summer-event-2024/>', verbatim: true }] });
  });

  it('escapeText leaves ordinary text alone', () => {
    expect(escapeText('SRE Munich: 18:30, #sremuc, muc@sre.xyz')).toBe('SRE Munich: 18:30, #sremuc, muc@sre.xyz');
  });
});
