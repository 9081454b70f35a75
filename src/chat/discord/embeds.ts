import type { APIEmbed } from 'discord.js';
import type { MessageModel } from '../message';
import { discordLink, escapeMarkdown } from './escape';
import { LIMITS } from './limits';
import { richToInert, richToMarkdown, truncate } from './text';

/** The community's accent colour on every embed. */
export const EMBED_COLOR = 0xe8590c;
const EMPTY_FIELD = '\u200b';

/**
 * A message model as embeds within Discord's limits: the footer (hashtag and delivery reference) always kept,
 * fields (when, where) before long prose, prose continued in further embeds when it does not fit one.
 */
export function renderEmbeds(m: MessageModel, marker: string | undefined): APIEmbed[] {
  const budget = new Budget(LIMITS.embedTotal);
  const first: APIEmbed = { color: EMBED_COLOR };
  if (m.title) first.title = budget.take(truncate(escapeMarkdown(m.title), LIMITS.embedTitle));
  if (m.titleUrl && /^https?:\/\//i.test(m.titleUrl)) first.url = m.titleUrl;

  const footerText = footerOf(m, marker);
  // Reserved first: the footer carries the hashtag and the delivery reference, which must survive truncation.
  if (footerText) budget.reserve(footerText.length);

  const fields = m.fields.map((f) => ({ name: truncate(escapeMarkdown(f.name) || EMPTY_FIELD, LIMITS.fieldName), value: richToMarkdown(f.value).trim() || EMPTY_FIELD, inline: f.inline }));
  // Fields (when, where) are short and matter most; long prose gives way to them, up to half the budget.
  const fieldsReserve = Math.min(LIMITS.embedTotal / 2, fields.reduce((n, f) => n + f.name.length + Math.min(f.value.length, LIMITS.fieldValue), 0));
  budget.reserve(fieldsReserve);

  const embeds: APIEmbed[] = [first];
  for (const [i, text] of splitDescription(descriptionParts(m), LIMITS.description).entries()) {
    const room = Math.min(budget.left, LIMITS.description);
    const target = room < 20 ? undefined : i === 0 ? first : pushEmbed(embeds);
    if (!target) break;
    target.description = budget.take(truncate(text, room));
  }
  budget.release(fieldsReserve);

  let fieldTarget = embeds[embeds.length - 1]!;
  for (const field of fields) {
    if ((fieldTarget.fields?.length ?? 0) >= LIMITS.fieldsPerEmbed) {
      const next = pushEmbed(embeds);
      if (!next) break;
      fieldTarget = next;
    }
    const room = Math.min(LIMITS.fieldValue, budget.left - field.name.length);
    if (room < 10) break;
    (fieldTarget.fields ??= []).push({ name: budget.take(field.name), value: budget.take(truncate(field.value, room)), ...(field.inline ? { inline: true } : {}) });
  }

  if (footerText) {
    budget.release(footerText.length);
    embeds[embeds.length - 1]!.footer = { text: budget.take(footerText) };
  }
  return embeds;
}

function pushEmbed(embeds: APIEmbed[]): APIEmbed | undefined {
  if (embeds.length >= LIMITS.embeds) return undefined;
  const embed: APIEmbed = { color: EMBED_COLOR };
  embeds.push(embed);
  return embed;
}

function descriptionParts(m: MessageModel): string[] {
  const parts: string[] = [];
  if (m.intro?.length) parts.push(richToMarkdown(m.intro));
  for (const s of m.sections) {
    const heading = s.heading ? `**${escapeMarkdown(s.heading)}**\n` : '';
    parts.push(heading + richToMarkdown(s.body));
  }
  if (m.links.length) parts.push(m.links.map(discordLink).join('  ·  '));
  return parts.filter((p) => p.trim());
}

/** Joins parts with blank lines into descriptions of at most `max` characters, breaking between parts or lines. */
function splitDescription(parts: string[], max: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const part of parts) {
    for (const line of part.length > max ? part.split('\n') : [part]) {
      const separator = current ? (line === part ? '\n\n' : '\n') : '';
      if (current && current.length + separator.length + line.length > max) {
        pieces.push(current);
        current = line;
      } else current += separator + line;
    }
  }
  if (current) pieces.push(current);
  return pieces;
}

function footerOf(m: MessageModel, marker: string | undefined): string | undefined {
  const reference = marker ? `ref ${marker}` : '';
  const text = m.footer ? richToInert(m.footer).trim() : '';
  if (!text) return reference || undefined;
  const joiner = reference ? '  ·  ' : '';
  return truncate(text, LIMITS.footer - joiner.length - reference.length) + joiner + reference;
}

/** The characters one message may still spend on embed text. */
class Budget {
  private reserved = 0;
  constructor(private remaining: number) {}
  get left(): number {
    return this.remaining - this.reserved;
  }
  reserve(n: number): void {
    this.reserved += n;
  }
  release(n: number): void {
    this.reserved -= n;
  }
  take(text: string): string {
    this.remaining -= text.length;
    return text;
  }
}
