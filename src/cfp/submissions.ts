import { DateTime } from 'luxon';
import type { Clock } from '../clock';
import { sql } from 'kysely';
import type { Db } from '../store/db';
import { ArgumentError, FieldErrors, type Caller, type CfpProposal, type CfpService, type CfpSubmission } from '../commands/definition';
import type { CallForTalks } from '../catalogue/settings';

export type ProposalField = keyof CfpProposal;

export interface FieldLimit {
  label: string;
  min: number;
  max: number;
}

/**
 * Field sizes: the form (commands/cfp.ts) advertises the same numbers as max lengths, so Slack and Discord stop
 * the typing before the store has to refuse. Discord text inputs allow 4,000 characters at most.
 */
export const PROPOSAL_FIELDS: Record<ProposalField, FieldLimit> = {
  title: { label: 'Title', min: 5, max: 150 },
  abstract: { label: 'Abstract', min: 30, max: 3000 },
  length: { label: 'Length', min: 1, max: 60 },
  speaker: { label: 'Speaker', min: 2, max: 150 },
  contact: { label: 'Contact', min: 3, max: 200 },
};

export interface CfpLimits {
  /** Proposals one person may send per window: enough for real speakers, too few to flood the organizers. */
  perUser: number;
  windowHours: number;
}

export const DEFAULT_CFP_LIMITS: CfpLimits = { perUser: 3, windowHours: 24 };

interface Row {
  id: number;
  platform: CfpSubmission['platform'];
  user_id: string;
  user_name: string;
  title: string;
  abstract: string;
  length: string;
  speaker: string;
  contact: string;
  created_at: string;
}

/** Call-for-talks proposals in the database (table cfp_submissions), checked before they are stored. */
export class CfpStore implements CfpService {
  private readonly limits: CfpLimits;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    limits: Partial<CfpLimits> = {},
  ) {
    this.limits = { ...DEFAULT_CFP_LIMITS, ...limits };
  }

  async submit(caller: Caller, proposal: CfpProposal): Promise<CfpSubmission> {
    const clean = cleanProposal(proposal);
    const now = this.clock.now();
    const previous = await this.recentBy(caller, now);
    const duplicate = previous.find((row) => row.title.toLowerCase() === clean.title.toLowerCase());
    if (duplicate) {
      throw new ArgumentError(`We already have your proposal "${duplicate.title}" from ${hoursAgo(duplicate, now)}; the organizers will be in touch.`);
    }
    if (previous.length >= this.limits.perUser) {
      throw new ArgumentError(
        `You have sent ${previous.length} proposal${previous.length === 1 ? '' : 's'} in the last ${hours(this.limits.windowHours)}, the most we take from one person. ` +
          `You can send the next one in ${this.hoursUntilFree(previous, now)}.`,
      );
    }
    const createdAt = now.toUTC().toISO()!;
    const inserted = await this.db.row(
      sql<{ id: number }>`INSERT INTO cfp_submissions (platform, user_id, user_name, title, abstract, length, speaker, contact, created_at)
          VALUES (${caller.platform}, ${caller.id}, ${caller.name}, ${clean.title}, ${clean.abstract}, ${clean.length}, ${clean.speaker}, ${clean.contact}, ${createdAt}) RETURNING id`,
    );
    return { id: inserted!.id, platform: caller.platform, userId: caller.id, userName: caller.name, ...clean, createdAt: now };
  }

  async list(limit: number): Promise<CfpSubmission[]> {
    const rows = await this.db.rows(sql<Row>`SELECT * FROM cfp_submissions ORDER BY created_at DESC, id DESC LIMIT ${limit}`);
    return rows.map((row) => this.toSubmission(row));
  }

  /** Proposals by this person inside the rate window, oldest first. */
  private recentBy(caller: Caller, now: DateTime): Promise<Row[]> {
    const since = now.minus({ hours: this.limits.windowHours }).toUTC().toISO()!;
    return this.db.rows(sql<Row>`SELECT * FROM cfp_submissions WHERE platform = ${caller.platform} AND user_id = ${caller.id} AND created_at > ${since} ORDER BY created_at`);
  }

  private hoursUntilFree(previous: Row[], now: DateTime): string {
    const oldestThatCounts = previous[previous.length - this.limits.perUser]!;
    const free = this.parse(oldestThatCounts.created_at).plus({ hours: this.limits.windowHours });
    const wait = Math.max(1, Math.ceil(free.diff(now, 'hours').hours));
    return wait === 1 ? 'an hour' : hours(wait);
  }

  private toSubmission(row: Row): CfpSubmission {
    return {
      id: row.id,
      platform: row.platform,
      userId: row.user_id,
      userName: row.user_name,
      title: row.title,
      abstract: row.abstract,
      length: row.length,
      speaker: row.speaker,
      contact: row.contact,
      createdAt: this.parse(row.created_at),
    };
  }

  /** Stored in UTC; shown in the zone the clock runs in (the community's). */
  private parse(iso: string): DateTime {
    return DateTime.fromISO(iso, { zone: this.clock.now().zone });
  }
}

function hours(n: number): string {
  return n === 1 ? 'hour' : `${n} hours`;
}

function hoursAgo(row: Row, now: DateTime): string {
  const hours = Math.floor(now.diff(DateTime.fromISO(row.created_at), 'hours').hours);
  if (hours < 1) return 'less than an hour ago';
  return hours === 1 ? 'an hour ago' : `${hours} hours ago`;
}

/**
 * Trims every field, drops control characters (they would garble the organizers' chat or terminal) and checks
 * each field's size, and with a call its length against the call's ranges. Every bad field is reported at once
 * (FieldErrors, keyed by field) so the form can show each problem in the right place.
 */
export function cleanProposal(proposal: CfpProposal, call?: CallForTalks): CfpProposal {
  const clean = {} as CfpProposal;
  const errors: Record<string, string> = {};
  for (const field of Object.keys(PROPOSAL_FIELDS) as ProposalField[]) {
    const { label, min, max } = PROPOSAL_FIELDS[field];
    const value = cleanText(proposal[field] ?? '', field === 'abstract');
    if (value === '') errors[field] = `${label} is required.`;
    else if (value.length < min) errors[field] = `${label} is too short: at least ${min} characters, please.`;
    else if (value.length > max) errors[field] = `${label} is too long: at most ${max} characters (got ${value.length}).`;
    else if (field === 'length' && call) {
      const length = normaliseLength(value, call);
      if ('problem' in length) errors[field] = length.problem;
      else clean[field] = length.value;
      continue;
    }
    clean[field] = value;
  }
  if (Object.keys(errors).length > 0) throw new FieldErrors(errors);
  return clean;
}

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Multi-line fields keep their line breaks (at most one empty line in a row); others become one line. */
function cleanText(raw: string, multiline: boolean): string {
  const text = String(raw).replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(CONTROL, '');
  if (!multiline) return text.replace(/\s+/g, ' ').trim();
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Reads the "length" field as people type it ("talk", "lightning", "30", "25 min", "tales from on-call") and
 * checks minutes against the call's ranges, so organizers get a length they can plan with; or says why it cannot.
 */
export function normaliseLength(raw: string, call: CallForTalks): { value: string } | { problem: string } {
  const text = raw.trim().toLowerCase();
  const minutes = /^(\d{1,3})\s*(m|min|mins|minutes?)?$/.exec(text);
  const lightning = call.lightningMinutes;
  if (minutes) {
    const n = Number(minutes[1]);
    if (n >= call.talkMinutes.min && n <= call.talkMinutes.max) return { value: `Talk, ${n} minutes` };
    if (lightning && n >= lightning.min && n <= lightning.max) return { value: `Lightning talk, ${n} minutes` };
    return { problem: `${n} minutes does not fit: ${lengthChoices(call)}.` };
  }
  if (/lightning/.test(text)) {
    if (!lightning) return { problem: `This call has no lightning talks: ${lengthChoices(call)}.` };
    return { value: `Lightning talk (${lightning.min}-${lightning.max} minutes)` };
  }
  if (/on-?call|post ?-?mortem|tales/.test(text)) return { value: 'Tales from On-call / Featured Post Mortem' };
  if (/^(a |technical )?talk$/.test(text)) return { value: `Talk (${call.talkMinutes.min}-${call.talkMinutes.max} minutes)` };
  return { problem: `Please give minutes or a kind of talk: ${lengthChoices(call)}.` };
}

function lengthChoices(call: CallForTalks): string {
  const choices = [`talks of ${call.talkMinutes.min}-${call.talkMinutes.max} minutes`];
  if (call.lightningMinutes) choices.push(`lightning talks of ${call.lightningMinutes.min}-${call.lightningMinutes.max} minutes`);
  return `we take ${choices.join(' and ')}`;
}
