import { ConfigError, loadConfig } from '../config.js';
import { runAsProgram } from '../program.js';
import { CipherError } from '../store/cipher.js';
import { DatabaseUnavailable } from '../store/errors.js';
import { openStore } from '../store/open.js';

/**
 * `npm run reencrypt`: after a key rotation (new ENCRYPTION_KEY, the old one in ENCRYPTION_KEYS_OLD), rewrites
 * every assessment's answers (and every OAuth installation) under the new key, and encrypts rows written before
 * encryption was turned on.
 * Safe while the app runs. Afterwards the old key can be dropped from ENCRYPTION_KEYS_OLD.
 */
async function reencrypt() {
  const config = loadConfig();
  if (!config.encryption) {
    console.error('ENCRYPTION_KEY is not set: there is no key to encrypt with. Set it, then run this again.');
    process.exit(1);
  }
  const store = await openStore(config.database, config.encryption);
  try {
    const count = await store.resealAnswers();
    console.log(
      `Re-encrypted ${count} records (assessments' answers, OAuth installations) under key ${config.encryption.currentKeyId}.`,
    );
  } finally {
    await store.close();
  }
}

runAsProgram(import.meta.url, reencrypt, [ConfigError, CipherError, DatabaseUnavailable]);
