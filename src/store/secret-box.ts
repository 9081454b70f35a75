import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;

/**
 * Seals secrets (Slack installation tokens) before they reach the database, with AES-256-GCM under a key from
 * the environment, so a copied database file or dump holds no usable token. Each sealed value names the key it
 * was sealed with (the first bytes of the key's hash), so opening it with another key is a clear error rather
 * than garbage or a silent failure.
 */
export class SecretBox {
  private readonly key: Buffer;
  private readonly keyId: string;

  /** `key`: 32 bytes as 64 hex characters or base64 (e.g. `openssl rand -base64 32`). */
  constructor(key: string) {
    this.key = parseKey(key);
    this.keyId = createHash('sha256').update(this.key).digest('hex').slice(0, 8);
  }

  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`${VERSION}:${this.keyId}`));
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, this.keyId, iv.toString('base64'), cipher.getAuthTag().toString('base64'), sealed.toString('base64')].join(':');
  }

  open(sealed: string): string {
    const [version, keyId, iv, tag, data] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('not a sealed value');
    if (keyId !== this.keyId) throw new Error(`sealed with another key (key id ${keyId}, this key is ${this.keyId}): was the encryption key changed?`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(`${version}:${keyId}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  }
}

/** 32 key bytes from hex or base64; throws a message fit for a configuration error otherwise. */
export function parseKey(text: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (bytes.length !== 32 || (!/^[0-9a-fA-F]{64}$/.test(trimmed) && bytes.toString('base64') !== trimmed)) {
    throw new Error('must be 32 random bytes as 64 hex characters or base64 (openssl rand -base64 32)');
  }
  return bytes;
}
