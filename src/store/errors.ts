/**
 * The database named by DATABASE_URL cannot be used: unreachable, refusing us, or not a database. Start-up stops
 * with this one line, which names where it looked (never the password) and what to check.
 */
export class DatabaseUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnavailable';
  }
}

/** Network and server answers that mean "this database cannot be used as configured", with the fix for each. */
const KNOWN: Record<string, string> = {
  ECONNREFUSED: 'nothing listens there; is PostgreSQL running, and is the port right?',
  ENOTFOUND: 'the host name does not resolve; check the host in DATABASE_URL',
  EAI_AGAIN: 'the host name does not resolve right now; check DNS and the host in DATABASE_URL',
  ETIMEDOUT: 'the connection timed out; check the host, the port and any firewall between',
  EHOSTUNREACH: 'the host cannot be reached; check the host and the network',
  '28P01': 'the password was refused; check the user and password in DATABASE_URL',
  '28000': 'the user may not connect; check the user in DATABASE_URL and pg_hba.conf',
  '3D000': 'the database does not exist; create it or fix its name in DATABASE_URL',
  '3F000': 'the schema named by ?schema= cannot be used; check its name',
  '42501':
    'the user lacks a permission the app needs (creating its schema and tables); grant it or use another user',
  SQLITE_CANTOPEN:
    'the file cannot be opened; check the path in DATABASE_URL and that its folder is writable',
  SQLITE_READONLY: 'the file is read-only; make it and its folder writable',
  SQLITE_NOTADB: 'the file is not a SQLite database; point DATABASE_URL at another path',
  EACCES: 'permission denied; make the path in DATABASE_URL writable',
};

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A PostgreSQL URL without its password, for messages. */
export function describePostgres(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'the DATABASE_URL host';
  }
}

/** Turns a known failure to open the database into one clear line; anything else is left as it was. */
export function explainOpenFailure(error: unknown, where: string): unknown {
  const code = codeOf(error) ?? codeOf((error as { cause?: unknown } | undefined)?.cause);
  const fix = code ? KNOWN[code] : undefined;
  if (!fix) return error;
  return new DatabaseUnavailable(`DATABASE_URL: cannot use the database at ${where} (${code}): ${fix}`);
}
