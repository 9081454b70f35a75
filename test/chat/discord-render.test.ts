import { bold, code, link, message, time } from '../../src/chat/message';
import { renderMessage } from '../../src/chat/discord/render';
import { EMBED_COLOR } from '../../src/chat/discord/embeds';
import { renderButtons, renderChoices, renderModal } from '../../src/chat/discord/components';
import { LIMITS } from '../../src/chat/discord/limits';
import { truncate } from '../../src/chat/discord/text';
import { escapeMarkdown } from '../../src/chat/discord/escape';
import { validateMessage } from '../fakes/discord';
import { berlin } from '../helpers/events';
import { url } from '../helpers/url';

const ZWJ = '\u200d';

/** Characters Discord counts toward the 6000 limit over all embeds. */
function embedChars(rendered: ReturnType<typeof renderMessage>): number {
  return rendered.embeds.reduce(
    (n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((m, f) => m + f.name.length + f.value.length, 0),
    0,
  );
}

describe('Discord renderer', () => {
  it('renders a meetup as one embed: escaped title with link, markdown intro, <t:…> times, fields, links, footer, buttons', () => {
    const start = berlin('2024-07-10T18:30');
    const rendered = renderMessage(
      message({
        title: 'SRE Munich at Celonis 2024',
        titleUrl: url('https://muc.sre.xyz/posts/sre-munich-summer-event-2024/'),
        intro: [bold('Doors open'), ' ', time(start), ' (', time(start, 'relative'), ')'],
        sections: [{ heading: 'Agenda', body: [time(start, 'time'), ' Get together with food & drinks'] }],
        fields: [{ name: 'Where', value: ['Celonis, Theresienstraße 6'], inline: true }],
        links: [{ label: 'Slides', url: url('https://muc.sre.xyz/slides/2024_07/clickhouse.pdf') }],
        footer: ['#sremuc · ', time(start, 'date')],
        buttons: [
          { id: 'agenda:abstracts:sre-munich-summer-event-2024', label: 'Abstracts', style: 'primary' },
          { id: 'calendar', label: 'Add to calendar', url: url('https://muc.sre.xyz/events/sre-munich-summer-event-2024.ics') },
        ],
      }),
    );
    const unix = start.toSeconds();
    expect(rendered).toEqual({
      embeds: [
        {
          color: EMBED_COLOR,
          title: 'SRE Munich at Celonis 2024',
          url: 'https://muc.sre.xyz/posts/sre-munich-summer-event-2024/',
          description: [
            `**Doors open** <t:${unix}:F> (<t:${unix}:R>)`,
            '',
            `**Agenda**\n<t:${unix}:t> Get together with food & drinks`,
            '',
            '[Slides](https://muc.sre.xyz/slides/2024_07/clickhouse.pdf)',
          ].join('\n'),
          fields: [{ name: 'Where', value: 'Celonis, Theresienstraße 6', inline: true }],
          // No markdown in footers: the date is written out in the community's zone.
          footer: { text: '#sremuc · Wed 10 Jul 2024' },
        },
      ],
      components: [
        {
          type: 1,
          components: [
            { type: 2, style: 1, label: 'Abstracts', custom_id: 'agenda:abstracts:sre-munich-summer-event-2024' },
            { type: 2, style: 5, label: 'Add to calendar', url: url('https://muc.sre.xyz/events/sre-munich-summer-event-2024.ics') },
          ],
        },
      ],
      allowed_mentions: { parse: [] },
    });
  });

  it('neutralises mentions and markdown in data text, everywhere it can appear', () => {
    const hostile = '@everyone @here <@123> <@!456> <@&789> <#42> **bold** __u__ ~~s~~ `c` ||spoiler|| [x](https://evil.example)';
    const rendered = renderMessage(
      message({
        title: `Title ${hostile}`,
        intro: [hostile],
        fields: [{ name: `Name ${hostile}`, value: [hostile] }],
        footer: [hostile],
        buttons: [{ id: 'b:1', label: '@everyone click' }],
      }),
    );
    const [embed] = rendered.embeds;
    const escaped = `@${ZWJ}everyone @${ZWJ}here \\<@123> \\<@!456> \\<@&789> \\<#42> \\*\\*bold\\*\\* \\_\\_u\\_\\_ \\~\\~s\\~\\~ \\\`c\\\` \\|\\|spoiler\\|\\| \\[x\\](<https://evil.example>)`;
    expect(embed?.description).toBe(escaped);
    expect(embed?.title).toBe(`Title ${escaped}`);
    expect(embed?.fields?.[0]).toEqual({ name: `Name ${escaped}`, value: escaped });
    // Footers show no markdown, so nothing is escaped there; mention syntax is broken with a zero-width joiner.
    expect(embed?.footer?.text).toBe(`@${ZWJ}everyone @${ZWJ}here <${ZWJ}@123> <${ZWJ}@!456> <${ZWJ}@&789> <${ZWJ}#42> **bold** __u__ ~~s~~ \`c\` ||spoiler|| [x](https://evil.example)`);
    expect((rendered.components[0]?.components[0] as { label: string }).label).toBe(`@${ZWJ}everyone click`);
    expect(rendered.allowed_mentions).toEqual({ parse: [] });
    expect(JSON.stringify(rendered)).not.toMatch(/(?<!\\)<@|@everyone|@here/);
  });

  it('escapes line-start markdown (headings, subtext, quotes, lists); bare URLs go in <…>, whole, so they still link', () => {
    expect(escapeMarkdown('# Big\n-# small\n> quote\n1. first\n  - item')).toBe('\\# Big\n\\-# small\n\\> quote\n1\\. first\n  \\- item');
    expect(escapeMarkdown('see https://muc.sre.xyz/posts/sre_munich_2024/ and *this*')).toBe('see <https://muc.sre.xyz/posts/sre_munich_2024/> and \\*this\\*');
    expect(escapeMarkdown('Doors 18:30. Food, drinks (free)!')).toBe('Doors 18:30. Food, drinks (free)!');
  });

  it('renders links and code safely: odd URLs encoded, non-http links shown as text, backticks cannot end a code span', () => {
    const rendered = renderMessage(message({ intro: [link('https://example.com/a (b)', 'Docs'), ' ', link('javascript:alert(1)', 'evil'), ' ', code('rm `-rf` <@1>')], title: 'T' }));
    expect(rendered.embeds[0]?.description).toBe(`[Docs](https://example.com/a%20%28b%29) evil \`rm '-rf' <${ZWJ}@1>\``);
  });

  it('a short text-only reply is plain content (with buttons), ephemeral as flag 64', () => {
    const rendered = renderMessage(message({ intro: ['Unknown event "x". Did you mean ', bold('celonis'), '?'], ephemeral: true, buttons: [{ id: 'cfp:open', label: 'Submit a talk' }] }));
    expect(rendered).toEqual({
      content: 'Unknown event "x". Did you mean **celonis**?',
      embeds: [],
      components: [{ type: 1, components: [{ type: 2, style: 2, label: 'Submit a talk', custom_id: 'cfp:open' }] }],
      allowed_mentions: { parse: [] },
      flags: 64,
    });
  });

  it('plain content with links suppresses their preview cards', () => {
    expect(renderMessage(message({ intro: ['Next: ', link('https://muc.sre.xyz/posts/x/', 'SRE Munich')] })).flags).toBe(4);
    expect(renderMessage(message({ intro: ['See https://muc.sre.xyz'], ephemeral: true })).flags).toBe(64 | 4);
    expect(renderMessage(message({ title: 'Embed', intro: [link('https://muc.sre.xyz/', 'site')] })).flags).toBeUndefined();
  });

  it('a message with nothing in it still has content', () => {
    expect(renderMessage(message({})).content).toBe('…');
  });

  it('puts the delivery reference in the footer, after the model footer, or as subtext under plain content', () => {
    expect(renderMessage(message({ title: 'Reminder', footer: ['#sremuc'] }), { marker: 'abc123' }).embeds[0]?.footer).toEqual({ text: '#sremuc  ·  ref abc123' });
    expect(renderMessage(message({ title: 'Reminder' }), { marker: 'abc123' }).embeds[0]?.footer).toEqual({ text: 'ref abc123' });
    expect(renderMessage(message({ intro: ['Doors open soon'] }), { marker: 'abc123' }).content).toBe('Doors open soon\n-# ref abc123');
  });

  it('keeps a huge message within every Discord limit, truncating with "…" and keeping fields and the footer', () => {
    const long = 'Kubernetes upgrade story '.repeat(400);
    const rendered = renderMessage(
      message({
        title: 'T'.repeat(300),
        intro: [long],
        sections: Array.from({ length: 12 }, (_, i) => ({ heading: `Talk ${i}`, body: [long.slice(0, 900)] })),
        fields: Array.from({ length: 30 }, (_, i) => ({ name: `Field ${i} ${'n'.repeat(300)}`, value: [long.slice(0, 2000)] })),
        footer: ['#sremuc'],
        buttons: Array.from({ length: 30 }, (_, i) => ({ id: `b:${i}`, label: `Button ${'x'.repeat(100)}` })),
      }),
      { marker: 'k1' },
    );
    expect(() => validateMessage(rendered as unknown as Record<string, unknown>, false)).not.toThrow();
    expect(embedChars(rendered)).toBeLessThanOrEqual(LIMITS.embedTotal);
    expect(rendered.embeds[0]?.title).toHaveLength(LIMITS.embedTitle);
    expect(rendered.embeds[0]?.title?.endsWith('…')).toBe(true);
    expect(rendered.embeds[0]?.description?.endsWith('…')).toBe(true);
    expect(rendered.embeds.flatMap((e) => e.fields ?? []).length).toBeGreaterThan(0);
    expect(rendered.embeds.at(-1)?.footer?.text).toBe('#sremuc  ·  ref k1');
    expect(rendered.components).toHaveLength(LIMITS.rows);
    expect(rendered.components.flatMap((r) => r.components)).toHaveLength(25);
  });

  it('a long agenda continues in further embeds instead of being cut at 4096', () => {
    const sections = Array.from({ length: 6 }, (_, i) => ({ heading: `Talk ${i}`, body: ['Abstract sentence. '.repeat(45)] }));
    const rendered = renderMessage(message({ title: 'Agenda', sections }));
    expect(rendered.embeds.length).toBe(2);
    expect(rendered.embeds.map((e) => e.description ?? '').join('')).not.toContain('…');
    expect(rendered.embeds[1]?.description).toContain('**Talk 5**');
    expect(() => validateMessage(rendered as unknown as Record<string, unknown>, false)).not.toThrow();
  });

  it('truncate never leaves half a markdown token behind', () => {
    expect(truncate('see [the full agenda](https://muc.sre.xyz/posts/x/) now', 30)).toBe('see…');
    expect(truncate('starts <t:1720629000:F> and more', 15)).toBe('starts…');
    expect(truncate('a **bold statement here** tail', 20)).toBe('a…');
    expect(truncate('escaped \\*\\*\\*\\*\\*', 12)).not.toMatch(/[^\\]\\…$/);
    expect(truncate('short', 10)).toBe('short');
  });

  it('drops buttons Discord would refuse and de-duplicates custom ids', () => {
    const rows = renderButtons([
      { id: 'x'.repeat(101), label: 'too long id' },
      { id: 'ok', label: 'ok' },
      { id: 'ok', label: 'duplicate' },
      { id: 'link', label: 'mail', url: url('mailto:muc@sre.xyz') },
    ]);
    expect(rows).toEqual([{ type: 1, components: [{ type: 2, style: 2, label: 'ok', custom_id: 'ok' }] }]);
  });

  it('renders a form as a modal of labelled text inputs, with prefilled values after a problem', () => {
    const modal = renderModal(
      {
        id: 'cfp:submit',
        title: 'Submit a talk to SRE Munich — we would love to hear from you',
        submitLabel: 'Send',
        fields: [
          { id: 'title', label: 'Title', style: 'short', required: true, maxLength: 100, placeholder: 'Tales from On-call' },
          { id: 'abstract', label: 'Abstract', style: 'paragraph', required: true, maxLength: 9000, minLength: 20 },
        ],
      },
      { title: 'My talk', abstract: 'x'.repeat(5000) },
    );
    expect(modal.title).toBe('Submit a talk to SRE Munich — we would love…');
    expect(modal.components).toEqual([
      { type: 18, label: 'Title', component: { type: 4, custom_id: 'title', style: 1, required: true, max_length: 100, placeholder: 'Tales from On-call', value: 'My talk' } },
      { type: 18, label: 'Abstract', component: { type: 4, custom_id: 'abstract', style: 2, required: true, max_length: 4000, min_length: 20, value: 'x'.repeat(4000) } },
    ]);
    expect(() => renderModal({ id: 'x:y', title: 't', submitLabel: 's', fields: [] })).toThrow('Discord shows 1 to 5');
  });

  it('autocomplete choices fit Discord: at most 25, names 1-100 characters, over-long values left out', () => {
    const choices = renderChoices([
      { name: 'n'.repeat(150), value: 'a' },
      { name: '', value: 'b' },
      { name: 'too long value', value: 'v'.repeat(101) },
      ...Array.from({ length: 40 }, (_, i) => ({ name: `Event ${i}`, value: `e${i}` })),
    ]);
    expect(choices).toHaveLength(25);
    expect(choices[0]?.name).toHaveLength(100);
    expect(choices[1]).toEqual({ name: 'b', value: 'b' });
    expect(choices.some((c) => c.value.length > 100)).toBe(false);
  });
});
