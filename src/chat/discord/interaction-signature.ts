import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/**
 * How far a request's timestamp may be from our clock. Discord signs the timestamp with the body but documents
 * no window; without one, a captured request could be replayed for ever. Five minutes is Slack's window too.
 */
export const INTERACTION_WINDOW_SEC = 5 * 60;

/**
 * The application's public key as shown in the Discord developer portal (64 hex characters). Throws with a
 * message fit for a configuration error when it is anything else.
 */
export function discordPublicKey(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('must be the 64 hex characters of the application\'s public key (Developer Portal, General Information)');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') }, format: 'jwk' });
}

export interface SignedRequest {
  signature: string | undefined;
  timestamp: string | undefined;
  body: Buffer;
}

/**
 * Why a request to the interactions endpoint is refused, or undefined when Discord signed it: an Ed25519
 * signature (X-Signature-Ed25519, hex) over the X-Signature-Timestamp header followed by the raw body, with
 * the timestamp inside the window either side of now.
 */
export function interactionRefusal(key: KeyObject, request: SignedRequest, nowSec: number): string | undefined {
  const { signature, timestamp, body } = request;
  if (!signature || !timestamp) return 'unsigned';
  if (!/^[0-9a-fA-F]{128}$/.test(signature)) return 'malformed signature';
  if (!/^\d{1,12}$/.test(timestamp)) return 'malformed timestamp';
  const signed = Buffer.concat([Buffer.from(timestamp), body]);
  if (!verify(null, signed, key, Buffer.from(signature, 'hex'))) return 'bad signature';
  if (Math.abs(nowSec - Number(timestamp)) > INTERACTION_WINDOW_SEC) return 'timestamp outside the 5-minute window';
  return undefined;
}
