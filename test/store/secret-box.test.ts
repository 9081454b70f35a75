import { randomBytes } from 'node:crypto';
import { SecretBox, parseKey } from '../../src/store/secret-box';

const key = randomBytes(32).toString('base64');

describe('SecretBox', () => {
  it('opens what it sealed, and never seals the same text to the same value', () => {
    const box = new SecretBox(key);
    const a = box.seal('xoxb-123-secret');
    const b = box.seal('xoxb-123-secret');
    expect(a).not.toBe(b);
    expect(a).not.toContain('xoxb');
    expect(box.open(a)).toBe('xoxb-123-secret');
    expect(box.open(b)).toBe('xoxb-123-secret');
  });

  it('takes the key as hex too', () => {
    const hex = Buffer.from(key, 'base64').toString('hex');
    expect(new SecretBox(hex).open(new SecretBox(key).seal('t'))).toBe('t');
  });

  it('says so when a value was sealed with another key', () => {
    const sealed = new SecretBox(key).seal('t');
    expect(() => new SecretBox(randomBytes(32).toString('base64')).open(sealed)).toThrow(/another key/);
  });

  it('refuses a tampered value', () => {
    const box = new SecretBox(key);
    const parts = box.seal('xoxb-token').split(':');
    const data = Buffer.from(parts[4]!, 'base64');
    data[0] = data[0]! ^ 1;
    parts[4] = data.toString('base64');
    expect(() => box.open(parts.join(':'))).toThrow();
    expect(() => box.open('plain-token')).toThrow(/not a sealed value/);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => parseKey('short')).toThrow(/32 random bytes/);
    expect(() => parseKey(randomBytes(16).toString('base64'))).toThrow(/32 random bytes/);
    expect(parseKey(key)).toHaveLength(32);
  });
});
