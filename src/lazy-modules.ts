/**
 * Libraries that only some data or commands need, loaded the first time they are used instead of at start-up
 * (issue #13: resident memory and start time). htmlparser2 with its DOM and entity tables (about 40 modules) is
 * needed only by a post with an HTML block, csv-stringify only by an RSVP export; SRE Munich's posts have no
 * HTML, so its bot never loads them. `require` at the point of use, not `import()`: a dynamic import() is not
 * hooked by every loader this code runs under (`node -r tsx/cjs` hooks only require) and once kept `npm start`
 * from starting. The other loads deferred for the same reason stay beside what chooses them: Bolt and discord.js
 * (bot/chat-adapters.ts), pg (store/open.ts), chrono's languages (sources/prose-date.ts), the importers'
 * parsers (sources/importers/imports.ts).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
let parser: typeof import('htmlparser2') | undefined;
export const htmlparser2 = (): typeof import('htmlparser2') => (parser ??= require('htmlparser2') as typeof import('htmlparser2'));

export const csvStringify = (): typeof import('csv-stringify/sync') => require('csv-stringify/sync') as typeof import('csv-stringify/sync');
/* eslint-enable @typescript-eslint/no-require-imports */
