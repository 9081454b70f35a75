import fc from 'fast-check';
import { renderConsole } from '../../src/chat/console/render';
import { renderMessage as renderDiscord } from '../../src/chat/discord/render';
import { describe as describeScheduledEvent } from '../../src/chat/discord/scheduled-event-shape';
import { bold, link, message, type MessageModel } from '../../src/chat/message';
import { eventLine, presentAbstracts, presentAgenda, presentNextLine } from '../../src/chat/present/event';
import { renderMessage as renderSlack, renderMessageView } from '../../src/chat/slack/render';
import { cancellationMessage, cfpMessage, eventPostMessage, textPostMessage, updatedMessage } from '../../src/schedule/messages';
import { FALLBACK_RULES, type AnnouncementRule } from '../../src/schedule/rules';
import { berlin } from '../helpers/events';
import { TEST_FEEDS } from '../helpers/services';
import { FC_PARAMS, hostileEvent, hostileModel, hostileSettings, hostileText, hostileUrl } from './hostile';
import { consoleProblems, discordMarkers, discordProblems, slackMarkers, slackProblems, urlProblem } from './inspect';

const CFP_RULE: AnnouncementRule = { id: 'cfp', of: 'cfp-deadline', timing: { kind: 'published' }, template: 'Closes {deadline}: {submit} or {contact} {hashtag} {name}', agenda: false };

/** Every message the bot builds from data: the commands' presenters and the scheduler's posts and edits. */
const builtMessages = fc.tuple(hostileEvent, hostileSettings).map(([event, settings]) => {
  const ctx = { settings, feeds: TEST_FEEDS };
  const models: MessageModel[] = [
    presentAgenda(event, settings, TEST_FEEDS),
    presentAgenda(event, settings, TEST_FEEDS, { abstracts: true, now: berlin('2040-01-01T00:00') }),
    presentAbstracts(event, settings, TEST_FEEDS),
    presentNextLine(event, settings, TEST_FEEDS),
    message({ sections: [{ heading: 'Coming up', body: eventLine(event, { withId: true }) }] }),
    eventPostMessage(FALLBACK_RULES.messages, event, ctx),
    updatedMessage(FALLBACK_RULES.messages, event, ctx),
    cancellationMessage(FALLBACK_RULES.messages, event, ctx),
    cfpMessage(CFP_RULE, berlin('2030-07-01T00:00'), ctx),
    textPostMessage(event.title),
  ];
  return { models, carried: JSON.stringify({ event, settings, TEST_FEEDS }) };
});

const handBuilt = hostileModel.map((m) => ({ models: [m, message({ intro: m.intro })], carried: JSON.stringify({ m, TEST_FEEDS }) }));

const cases = fc.oneof(builtMessages, handBuilt);

function expectNone(problems: string[]): void {
  if (problems.length > 0) throw new Error(problems.slice(0, 5).join('\n'));
}

describe(`nothing from data can ping or spoof a link, in any chat renderer (seed ${FC_PARAMS.seed}; FC_SEED replays)`, () => {
  it('Slack: no live mention or broadcast, every <link> an http(s)/mailto URL the data named, verbatim mrkdwn', () => {
    fc.assert(
      fc.property(cases, ({ models, carried }) => {
        for (const m of models) {
          expectNone(slackProblems(renderSlack(m), carried));
          expectNone(slackProblems({ text: '', blocks: renderMessageView(m, 'T').blocks as never }, carried));
        }
      }),
      FC_PARAMS,
    );
  });

  it('Discord: no live mention, every link an http(s) URL the data named, allowed_mentions empty', () => {
    fc.assert(
      fc.property(cases, ({ models, carried }) => {
        for (const m of models) expectNone(discordProblems(renderDiscord(m, { marker: 'k1' }), carried));
      }),
      FC_PARAMS,
    );
  });

  it('Discord scheduled events: the description has no live mention and no link but checked ones', () => {
    fc.assert(
      fc.property(hostileEvent, (event) => {
        const carried = JSON.stringify({ event, TEST_FEEDS });
        const description = describeScheduledEvent(event, event.url ?? TEST_FEEDS.event(event.id));
        expectNone(discordProblems({ content: description, embeds: [], components: [], allowed_mentions: { parse: [] } }, carried));
      }),
      FC_PARAMS,
    );
  });

  it('console: no terminal control characters; a link shows only a checked URL next to its label', () => {
    fc.assert(
      fc.property(hostileText, hostileUrl, (text, url) => {
        const m = message({ title: text, intro: [text, ' ', link(url, 'LINKLABEL')], sections: [{ heading: text, body: [text] }], footer: [text] });
        const out = renderConsole(m);
        // Mail addresses are shown without their mailto: scheme.
        const listed = [...out.matchAll(/LINKLABEL \((\S+)\)/g)].map((x) => (/^[a-z]+:/.test(x[1]!) ? x[1]! : `mailto:${x[1]}`));
        expectNone(consoleProblems(out, listed, JSON.stringify({ text, url: url.startsWith('/') ? `https://muc.sre.xyz${url}` : url })));
      }),
      FC_PARAMS,
    );
  });
});

describe('markup characters from data never break the formatting around them', () => {
  const parts = fc.tuple(hostileText, hostileText, hostileText, hostileText);

  it('Slack: the only markers in a section are the bold ones we put there', () => {
    fc.assert(
      fc.property(parts, ([before, strong, after, heading]) => {
        const { blocks } = renderSlack(message({ intro: [before, bold(strong), after], sections: [{ heading, body: ['x'] }] }));
        const texts = blocks.flatMap((b) => {
          const text = 'text' in b ? (b.text as { type?: string; text?: string } | undefined) : undefined;
          return text?.type === 'mrkdwn' && text.text !== undefined ? [text.text] : [];
        });
        const joined = texts.join('\n');
        const found = slackMarkers(joined);
        const expected = (strong.trim() ? 2 : 0) + (heading ? 2 : 0);
        if (found.markers.length !== expected || found.quotes !== 0) throw new Error(`markers ${JSON.stringify(found)} (expected ${expected} asterisks) in ${JSON.stringify(joined)}`);
        if (found.markers.some((c) => c !== '*')) throw new Error(`stray marker in ${JSON.stringify(joined)}`);
      }),
      FC_PARAMS,
    );
  });

  it('Discord: the only unescaped markers are the bold ones we put there', () => {
    fc.assert(
      fc.property(parts, ([before, strong, after, heading]) => {
        const { embeds } = renderDiscord(message({ title: 'T', intro: [before, bold(strong), after], sections: [{ heading, body: ['x'] }] }));
        const description = embeds.map((e) => e.description ?? '').join('\n');
        const found = discordMarkers(description);
        const expected = (strong.trim() ? 4 : 0) + (heading ? 4 : 0);
        if (found.length !== expected || found.some((c) => c !== '*')) throw new Error(`markers ${JSON.stringify(found)} (expected ${expected}) in ${JSON.stringify(description)}`);
      }),
      FC_PARAMS,
    );
  });
});

describe('the inspectors themselves', () => {
  it('catch what they are meant to catch', () => {
    expect(slackProblems({ text: '<!channel|x>', blocks: [] }, '')).toHaveLength(1);
    expect(slackProblems({ text: '', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'a <javascript:x|y> @here', verbatim: true } }] }, '')).toHaveLength(2);
    expect(discordProblems({ content: '<@123> [x](javascript:y) \\<@1> <\u200d@2>', embeds: [], components: [], allowed_mentions: { parse: [] } }, '')).toHaveLength(2);
    expect(urlProblem('https://evil.example/', 'nothing')).toMatch(/did not name/);
    expect(urlProblem('https://evil.example/', 'see evil.example')).toBeUndefined();
    expect(slackMarkers('*a* _b_ snake_case <https://x/_y_|z>').markers).toEqual(['*', '*', '_', '_']);
    expect(discordMarkers('**a** \\*b\\* https://x/*y* \\# h\n# h')).toEqual(['*', '*', '*', '*', 'line start #']);
  });
});
