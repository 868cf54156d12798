import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CipherError, isSealed, Keyring, keyId, PLAINTEXT, parseKey } from '../../src/store/cipher.js';

const key = randomBytes(32);
const older = randomBytes(32);
const ctx = 'answers of assessment a1';

describe('parseKey', () => {
  it('takes 32 bytes as 64 hex characters or base64, standard or URL-safe, padded or not', () => {
    for (const text of [
      key.toString('hex'),
      key.toString('hex').toUpperCase(),
      key.toString('base64'),
      key.toString('base64url'),
      ` ${key.toString('base64')} `,
    ]) {
      expect(parseKey(text)).toEqual(key);
    }
  });

  it('refuses anything else', () => {
    for (const text of [
      '',
      'secret',
      randomBytes(16).toString('hex'),
      randomBytes(31).toString('base64'),
      randomBytes(33).toString('base64'),
      `${key.toString('hex')}0`,
    ]) {
      expect(parseKey(text)).toBeUndefined();
    }
  });
});

describe('Keyring', () => {
  it('encrypts with AES-256-GCM under a versioned prefix naming the key by a short hash, not the key', () => {
    const ring = new Keyring(key);
    const sealed = ring.seal('{"team":{"kind":"option","optionId":"small"}}', ctx);
    expect(sealed).toMatch(/^enc:v1:[0-9a-f]{8}:[\w-]{16}:[\w-]{22}:[\w-]+$/);
    expect(sealed.split(':')[2]).toBe(keyId(key));
    expect(isSealed(sealed)).toBe(true);
    expect(ring.open(sealed, ctx)).toBe('{"team":{"kind":"option","optionId":"small"}}');
    // A fresh IV each time: equal answers do not look equal at rest.
    expect(ring.seal('same', ctx)).not.toBe(ring.seal('same', ctx));
  });

  it('binds a value to its place: the same ciphertext does not open as another row or column', () => {
    const ring = new Keyring(key);
    const sealed = ring.seal('[]', ctx);
    expect(() => ring.open(sealed, 'answers of assessment a2')).toThrow(CipherError);
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}A`;
    expect(() => ring.open(tampered, ctx)).toThrow(/was altered or belongs to another row/);
  });

  it('passes plaintext written before encryption was turned on through unchanged', () => {
    expect(new Keyring(key).open('{"a":1}', ctx)).toBe('{"a":1}');
    expect(PLAINTEXT.open('{"a":1}', ctx)).toBe('{"a":1}');
    expect(PLAINTEXT.seal('{"a":1}', ctx)).toBe('{"a":1}');
  });

  it('rotates: old keys decrypt, only the current one encrypts', () => {
    const before = new Keyring(older).seal('x', ctx);
    const ring = new Keyring(key, [older]);
    expect(ring.open(before, ctx)).toBe('x');
    expect(ring.isStale(before)).toBe(true);
    const after = ring.seal('x', ctx);
    expect(after.split(':')[2]).toBe(ring.currentKeyId);
    expect(ring.isStale(after)).toBe(false);
    expect(ring.keyIds).toEqual([keyId(key), keyId(older)]);
  });

  it('says which key is missing and how to fix it, without the key', () => {
    const sealed = new Keyring(older).seal('x', ctx);
    const message = (() => {
      try {
        new Keyring(key).open(sealed, ctx);
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain(keyId(older));
    expect(message).toContain('ENCRYPTION_KEYS_OLD');
    expect(() => PLAINTEXT.open(sealed, ctx)).toThrow(/ENCRYPTION_KEY is not set/);
    for (const k of [key, older]) {
      expect(message).not.toContain(k.toString('hex'));
      expect(message).not.toContain(k.toString('base64'));
    }
  });

  it('never shows key material when logged or serialised', () => {
    const ring = new Keyring(key, [older]);
    const shown = `${JSON.stringify({ encryption: ring })} ${inspect(ring, { depth: 5, showHidden: true })}`;
    for (const k of [key, older]) {
      expect(shown).not.toContain(k.toString('hex'));
      expect(shown).not.toContain(k.toString('base64'));
    }
    expect(JSON.parse(JSON.stringify(ring))).toEqual({ keyIds: [keyId(key), keyId(older)] });
  });
});
