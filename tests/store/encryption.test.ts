import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { Session } from '../../src/advisor/session.js';
import { CipherError, type FieldCodec, Keyring, keyId, keyringProblem } from '../../src/store/cipher.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { channel, done } from '../support/digest.js';
import { hostileFacts } from '../support/evidence.js';
import { pgUrl, withPostgres } from '../support/postgres.js';

type Raw = { answers: string; answer_order: string; evidence: string | null };

// Keys are made here, at run time; none is ever written down.
const keyA = randomBytes(32);
const keyB = randomBytes(32);
const secrets = [keyA, keyB].flatMap((k) => [
  k.toString('hex'),
  k.toString('base64'),
  k.toString('base64url'),
]);

const session = (): Session =>
  done({
    ...channel(),
    userId: `U${randomBytes(4).toString('hex')}`,
    outcome: 'self_hosted_required',
    answers: {
      provider_access: { kind: 'option', optionId: 'no' },
      clusters: { kind: 'number', value: 37 },
      provider_trust: { kind: 'skipped' },
    },
    order: ['provider_access', 'clusters', 'provider_trust'],
  });

/** Answers at rest, on one engine: `open` reaches the same data with whichever codec; `raw` reads the columns. */
function encryptionSuite(
  name: string,
  open: (codec?: FieldCodec) => Promise<Store>,
  raw: (id: string) => Promise<Raw>,
) {
  const using = async <T>(codec: FieldCodec | undefined, run: (s: Store) => Promise<T>) => {
    const store = await open(codec);
    try {
      return await run(store);
    } finally {
      await store.close();
    }
  };

  describe(`answers encrypted at rest: ${name}`, () => {
    it('keeps neither answers nor question ids readable in the raw columns, and reads them back', async () => {
      const ring = new Keyring(keyA);
      const s = session();
      await using(ring, async (store) => {
        await store.insert(s);
        const row = await raw(s.id);
        for (const column of [row.answers, row.answer_order]) {
          expect(column.startsWith(`enc:v1:${ring.currentKeyId}:`)).toBe(true);
          // Fragments long enough not to turn up in random base64 by chance ("37" alone once did).
          for (const plain of ['provider_access', 'clusters', '"no"', '"value":37', 'skipped', '"kind"']) {
            expect(column).not.toContain(plain);
          }
        }
        // Every read path decrypts.
        expect(await store.getById(s.id)).toEqual(s);
        expect(await store.byThread(s.teamId, s.channelId, s.threadTs)).toEqual([s]);
        expect(await store.latestCompleted(s.teamId, s.channelId, s.userId)).toEqual(s);
        expect((await store.listByUser(s.teamId, s.userId, { limit: 5, offset: 0 })).sessions).toEqual([s]);
        // The same value encrypts differently each time (a fresh IV per value).
        const saved = await store.save({ ...s, restarts: 1 });
        expect(saved.status).toBe('saved');
        expect((await raw(s.id)).answers).not.toBe(row.answers);
      });
    });

    it('reads rows written before encryption was turned on, and encrypts them at their next save', async () => {
      const s = session();
      await using(undefined, (store) => store.insert(s));
      expect((await raw(s.id)).answers).toContain('provider_access');
      await using(new Keyring(keyA), async (store) => {
        expect(await store.getById(s.id)).toEqual(s);
        await store.save({ ...s, restarts: 1 });
        expect((await raw(s.id)).answers).toMatch(/^enc:v1:/);
        expect(await store.getById(s.id)).toMatchObject({ answers: s.answers, order: s.order, restarts: 1 });
      });
    });

    it('fails clearly with a wrong or missing key, naming the variable and never a key', async () => {
      const s = session();
      await using(new Keyring(keyA), (store) => store.insert(s));
      const failure = async (codec?: FieldCodec) => {
        const error = await using(codec, (store) => store.getById(s.id)).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(CipherError);
        const message = (error as Error).message;
        for (const secret of secrets) expect(message).not.toContain(secret);
        expect(message).toContain(s.id);
        return message;
      };
      expect(await failure(new Keyring(keyB))).toMatch(
        /neither ENCRYPTION_KEY .* nor in ENCRYPTION_KEYS_OLD/,
      );
      expect(await failure(undefined)).toMatch(/ENCRYPTION_KEY is not set/);
    });

    it('rotates: the old key in ENCRYPTION_KEYS_OLD still reads, and a save re-encrypts under the new key', async () => {
      const s = session();
      const oldRing = new Keyring(keyA);
      const newRing = new Keyring(keyB, [keyA]);
      await using(oldRing, (store) => store.insert(s));
      await using(newRing, async (store) => {
        expect(await store.getById(s.id)).toEqual(s);
        await store.save({ ...s, restarts: 1 });
      });
      expect((await raw(s.id)).answers.startsWith(`enc:v1:${newRing.currentKeyId}:`)).toBe(true);
      await using(new Keyring(keyB), async (store) => {
        expect(await store.getById(s.id)).toMatchObject({ answers: s.answers, restarts: 1 });
      });
    });

    it('reports the keys stored answers use, so start-up can refuse a keyring that lacks one', async () => {
      await using(new Keyring(keyA), (store) => store.insert(session()));
      const inUse = await using(undefined, (store) => store.keyIdsInUse());
      expect(inUse).toContain(keyId(keyA));
      expect(inUse.every((id) => [keyId(keyA), keyId(keyB)].includes(id))).toBe(true);
      expect(keyringProblem(inUse, new Keyring(keyB, [keyA]))).toBeUndefined();
      expect(keyringProblem(inUse, new Keyring(keyB))).toContain(`encrypted with key ${keyId(keyA)}`);
      expect(keyringProblem(inUse, undefined)).toMatch(/^ENCRYPTION_KEY is not set, but stored answers/);
    });

    it('keeps the evidence of a cluster encrypted like the answers, and reads it back', async () => {
      const ring = new Keyring(keyA);
      const s = { ...session(), evidence: hostileFacts() };
      await using(ring, async (store) => {
        await store.insert(s);
        const row = await raw(s.id);
        expect(row.evidence?.startsWith(`enc:v1:${ring.currentKeyId}:`)).toBe(true);
        for (const plain of ['prod', 'eks:', 'creatorAdmin', '"yes"'])
          expect(row.evidence).not.toContain(plain);
        expect(await store.getById(s.id)).toEqual(s);
        // Bound to its row and column: the evidence ciphertext does not open as another row's.
        const other = session();
        await store.insert(other);
        expect(() => ring.open(row.evidence as string, `evidence of assessment ${other.id}`)).toThrow(
          CipherError,
        );
      });
      await using(undefined, async (store) => {
        await expect(store.getById(s.id)).rejects.toThrow(/ENCRYPTION_KEY is not set/);
      });
    });

    it('re-encrypts every row under the current key in one pass (npm run reencrypt), without a version bump', async () => {
      const plain = { ...session(), evidence: hostileFacts() };
      const underA = { ...session(), evidence: hostileFacts() };
      await using(undefined, (store) => store.insert(plain));
      await using(new Keyring(keyA), (store) => store.insert(underA));
      const ring = new Keyring(keyB, [keyA]);
      await using(ring, async (store) => {
        expect(await store.resealAnswers()).toBeGreaterThanOrEqual(2);
        expect(await store.resealAnswers()).toBe(0);
      });
      for (const s of [plain, underA]) {
        const row = await raw(s.id);
        expect(row.answers.startsWith(`enc:v1:${ring.currentKeyId}:`)).toBe(true);
        expect(row.answer_order.startsWith(`enc:v1:${ring.currentKeyId}:`)).toBe(true);
        expect(row.evidence?.startsWith(`enc:v1:${ring.currentKeyId}:`)).toBe(true);
      }
      // The old key is no longer needed for them.
      await using(new Keyring(keyB), async (store) => {
        expect(await store.getById(plain.id)).toEqual(plain);
        expect(await store.getById(underA.id)).toEqual(underA);
      });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'k8s-advisor-encryption-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'encrypted.db');
encryptionSuite(
  'sqlite',
  async (codec) => openSqliteStore(file, codec ? { codec } : {}),
  async (id) => {
    const db = new Database(file, { readonly: true });
    try {
      return db
        .prepare('SELECT answers, answer_order, evidence FROM assessments WHERE id = ?')
        .get(id) as Raw;
    } finally {
      db.close();
    }
  },
);

await withPostgres('the encryption at rest tests', (schemaFor) => {
  const schema = schemaFor();
  encryptionSuite(
    'postgres',
    (codec) => openPostgresStore(pgUrl, { schema, poolSize: 2, ...(codec && { codec }) }),
    async (id) => {
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      try {
        const { rows } = await client.query<Raw>(
          `SELECT answers, answer_order, evidence FROM "${schema}".assessments WHERE id = $1`,
          [id],
        );
        return rows[0] as Raw;
      } finally {
        await client.end();
      }
    },
  );
});
