import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from 'node:crypto';

/**
 * Encryption at rest for sensitive columns: AES-256-GCM with a random 12-byte IV per value, bound to where the
 * value lives (column and row id, as associated data) so a ciphertext copied into another row does not open.
 *
 *   enc:v1:<key id>:<iv>:<tag>:<ciphertext>     (base64url parts)
 *
 * The key id is a short hash of the key, never the key. A value without the prefix is plaintext, written before
 * encryption was turned on, and still reads.
 */
const PREFIX = 'enc:v1:';

/** A stored value cannot be read: encrypted with a key we do not have, or tampered with. */
export class CipherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CipherError';
  }
}

/** How a store writes and reads a sensitive column; `context` names the value, e.g. `answers of assessment <id>`. */
export interface FieldCodec {
  seal(text: string, context: string): string;
  open(stored: string, context: string): string;
  /** Whether a stored value should be written again (plaintext, or under an old key); absent: never. */
  isStale?(stored: string): boolean;
  /** True when seal encrypts: what must never be stored in the clear (tokens) asks for it. */
  readonly encrypts?: boolean;
}

export const isSealed = (stored: string) => stored.startsWith(PREFIX);

const keyIdOf = (stored: string) => stored.slice(PREFIX.length).split(':', 1)[0] ?? '';

/** A 256-bit key written as 64 hex characters or as base64 (standard or URL-safe); undefined otherwise. */
export function parseKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) return undefined;
  const key = Buffer.from(t, 'base64');
  return key.length === 32 ? key : undefined;
}

/** A short, stable name for a key that reveals nothing usable about it. */
export const keyId = (key: Buffer) =>
  createHash('sha256').update('k8s-advisor key id\0').update(key).digest('hex').slice(0, 8);

/** No key configured: values are written as they are, and an encrypted one fails with the fix. */
export const PLAINTEXT: FieldCodec = {
  seal: (text) => text,
  open: (stored, context) => {
    if (!isSealed(stored)) return stored;
    throw new CipherError(
      `${context} is stored encrypted (key ${keyIdOf(stored)}) but ENCRYPTION_KEY is not set; set it to the key it was written with`,
    );
  },
};

/**
 * Checked at start-up against the key ids stored answers use: a problem naming the fix when a key is missing
 * (a rotation gone wrong), so the app refuses to start rather than fail on every read. Undefined when all is well.
 */
export function keyringProblem(inUse: string[], ring: Keyring | undefined): string | undefined {
  const missing = inUse.filter((id) => !ring?.keyIds.includes(id));
  if (missing.length === 0) return undefined;
  const ids = `key${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`;
  return ring
    ? `ENCRYPTION_KEY: stored answers are encrypted with ${ids}, neither ENCRYPTION_KEY (${ring.currentKeyId}) nor in ENCRYPTION_KEYS_OLD; add the key they were written with to ENCRYPTION_KEYS_OLD`
    : `ENCRYPTION_KEY is not set, but stored answers are encrypted with ${ids}; set it to the key they were written with`;
}

/**
 * The current key, which encrypts, and earlier keys, which only decrypt (rotation). Key material lives in private
 * fields as KeyObjects, so neither logging nor JSON.stringify of a config holding a Keyring can show it.
 */
export class Keyring implements FieldCodec {
  readonly #keys = new Map<string, KeyObject>();
  readonly currentKeyId: string;
  readonly encrypts = true;

  constructor(current: Buffer, old: Buffer[] = []) {
    this.currentKeyId = keyId(current);
    for (const key of [current, ...old]) {
      if (key.length !== 32) throw new CipherError('an encryption key must be 32 bytes');
      if (!this.#keys.has(keyId(key))) this.#keys.set(keyId(key), createSecretKey(key));
    }
  }

  /** Ids of every key that can decrypt, the current one first. */
  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  /** Whether `stored` should be written again: plaintext, or encrypted under an older key. */
  isStale(stored: string): boolean {
    return !isSealed(stored) || keyIdOf(stored) !== this.currentKeyId;
  }

  seal(text: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#keys.get(this.currentKeyId) as KeyObject, iv);
    cipher.setAAD(Buffer.from(context));
    const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url'));
    return `${PREFIX}${this.currentKeyId}:${parts.join(':')}`;
  }

  open(stored: string, context: string): string {
    if (!isSealed(stored)) return stored;
    const [id = '', iv = '', tag = '', data = ''] = stored.slice(PREFIX.length).split(':');
    const key = this.#keys.get(id);
    if (!key) {
      throw new CipherError(
        `${context} was encrypted with key ${id}, which is neither ENCRYPTION_KEY (${this.currentKeyId}) nor in ENCRYPTION_KEYS_OLD; add the key it was written with to ENCRYPTION_KEYS_OLD`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new CipherError(
        `${context} does not decrypt with key ${id}: the stored value was altered or belongs to another row`,
      );
    }
  }

  toJSON() {
    return { keyIds: this.keyIds };
  }
}
