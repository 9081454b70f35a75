import { generateKeyPairSync, sign } from 'node:crypto';
import { discordPublicKey, interactionRefusal } from '../../src/chat/discord/interaction-signature';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
/** The raw 32 bytes, as the Developer Portal shows them (hex). */
const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
const key = discordPublicKey(publicHex);
const NOW = 1_780_000_000;

function signed(body: string, timestamp = String(NOW)) {
  const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
  return { signature, timestamp, body: Buffer.from(body) };
}

describe('Discord interaction signatures', () => {
  it('accepts a request Discord signed', () => {
    expect(interactionRefusal(key, signed('{"type":1}'), NOW)).toBeUndefined();
  });

  it('refuses a changed body, a changed timestamp and a signature by another key', () => {
    const good = signed('{"type":1}');
    expect(interactionRefusal(key, { ...good, body: Buffer.from('{"type":2}') }, NOW)).toBe('bad signature');
    expect(interactionRefusal(key, { ...good, timestamp: String(NOW + 1) }, NOW)).toBe('bad signature');
    const other = generateKeyPairSync('ed25519').privateKey;
    const forged = sign(null, Buffer.from(`${NOW}{"type":1}`), other).toString('hex');
    expect(interactionRefusal(key, { ...good, signature: forged }, NOW)).toBe('bad signature');
  });

  it('refuses unsigned and malformed headers without throwing', () => {
    const good = signed('{}');
    expect(interactionRefusal(key, { ...good, signature: undefined }, NOW)).toBe('unsigned');
    expect(interactionRefusal(key, { ...good, timestamp: undefined }, NOW)).toBe('unsigned');
    expect(interactionRefusal(key, { ...good, signature: 'zz' }, NOW)).toBe('malformed signature');
    expect(interactionRefusal(key, { ...good, timestamp: '12e3' }, NOW)).toBe('malformed timestamp');
  });

  it('refuses a well-signed request from outside the 5-minute window either side', () => {
    expect(interactionRefusal(key, signed('{}', String(NOW - 301)), NOW)).toMatch(/window/);
    expect(interactionRefusal(key, signed('{}', String(NOW + 301)), NOW)).toMatch(/window/);
    expect(interactionRefusal(key, signed('{}', String(NOW - 299)), NOW)).toBeUndefined();
  });

  it('names what a public key must look like', () => {
    expect(() => discordPublicKey('abc')).toThrow(/64 hex characters/);
    expect(() => discordPublicKey(publicHex.toUpperCase())).not.toThrow();
  });
});
