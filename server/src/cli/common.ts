import fs from 'node:fs';
import path from 'node:path';
import { CertError } from '../cert/errors.js';
import type { Config } from '../config.js';
import { type Db, openDatabase } from '../db/open.js';
import { AppError } from '../errors.js';
import { AuditService } from '../services/audit-service.js';
import { SettingsService } from '../services/settings-service.js';
import { AuditLogStore } from '../store/audit-log.js';
import { CertificateQueries } from '../store/certificate-queries.js';
import { CertificateStore } from '../store/certificates.js';
import { CsrStore } from '../store/csrs.js';
import { IntermediateStore } from '../store/intermediates.js';
import { KeyEncryption } from '../store/key-encryption.js';
import { KvStore } from '../store/kv.js';
import { PrivateKeyStore } from '../store/private-keys.js';
import { defaultServerSettings } from '../store/server-settings.js';
import { TrustAnchorStore } from '../store/trust-anchors.js';

/**
 * What the certdesk commands share: their input/output (swappable so tests capture it without touching
 * process.stdout, which node:test itself writes to), option parsing, secrets from stdin or the
 * environment (never from argv: `ps` shows argv to every user), the stores, and exit codes:
 * 0 done, 2 refused input (what the HTTP API answers with a 4xx, printed as CODE: sentence), 1 unexpected.
 */

/** One `certdesk <name>` command; cli.ts holds the table of them. */
export interface Command {
  summary: string;
  usage?: string;
  run(args: string[], config: Config): Promise<number> | number;
}

export interface CliIo {
  stdout(chunk: string | Buffer): void;
  stderr(chunk: string): void;
  /** Whole standard input (bounded by the caller). */
  stdin(): Promise<Buffer>;
  stdoutIsTty(): boolean;
}

const processIo: CliIo = {
  stdout: (chunk) => void process.stdout.write(chunk),
  stderr: (chunk) => void process.stderr.write(chunk),
  stdin: async () => {
    if (process.stdin.isTTY) {
      process.stderr.write(
        'Reading from standard input: type it, then Enter and Ctrl-D (the input is shown).\n',
      );
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of process.stdin as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > MAX_SECRET_BYTES) break;
      chunks.push(c);
    }
    return Buffer.concat(chunks);
  },
  stdoutIsTty: () => process.stdout.isTTY === true,
};

let io: CliIo = processIo;

/** Tests swap the streams; returns the function that puts the previous ones back. */
export function setCliIo(next: Partial<CliIo>): () => void {
  const previous = io;
  io = { ...previous, ...next };
  return () => {
    io = previous;
  };
}

export const print = (line = ''): void => io.stdout(`${line}\n`);
export const printErr = (line: string): void => io.stderr(`${line}\n`);
export const writeStdout = (body: Buffer): void => io.stdout(body);
export const stdoutIsTty = (): boolean => io.stdoutIsTty();

const MAX_SECRET_BYTES = 64 * 1024;

/** A refused command line: exit 2 with a stable code, like a 400 from the API. */
export function usageError(message: string, option?: string): AppError {
  return new AppError('USAGE_ERROR', message, option ? { option } : {});
}

/** Options that would put a secret in argv: refused with a pointer to the safe alternatives. */
const SECRET_FLAGS = ['--password', '--pfx-password', '--key-passphrase'];

/**
 * Parses a command's options with node:util's parseArgs (strict), refusing secret-bearing flags first.
 * Usage: `parseCommandArgs(args, () => parseArgs({ args, options, strict: true }))` — the call stays in the
 * command so its option types are inferred there.
 */
export function parseCommandArgs<R>(args: string[], parse: () => R): R {
  for (const a of args) {
    const flag = a.split('=')[0] as string;
    if (SECRET_FLAGS.includes(flag)) {
      throw usageError(
        `${flag} is not accepted: a password on the command line is visible to every user (ps). Use ${flag}-stdin or ${flag}-env VAR.`,
        flag,
      );
    }
  }
  try {
    return parse();
  } catch (err) {
    // node:util throws TypeError with ERR_PARSE_ARGS_* codes for unknown options and missing values.
    throw usageError((err as Error).message.replace(/\s+To specify a positional argument.*$/s, ''));
  }
}

/**
 * A secret from standard input (one trailing newline removed, so `echo pw |` and a file both work)
 * or from a named environment variable. Returns undefined when neither option is given.
 */
export async function readSecret(
  what: string,
  fromStdin: boolean | undefined,
  envVar: string | undefined,
  optionBase: string,
): Promise<string | undefined> {
  if (fromStdin && envVar)
    throw usageError(
      `Give the ${what} either on standard input or in an environment variable, not both.`,
      optionBase,
    );
  if (envVar !== undefined) {
    const value = process.env[envVar];
    if (value === undefined)
      throw usageError(
        `The environment variable ${envVar} (${optionBase}-env) is not set.`,
        `${optionBase}-env`,
      );
    return value;
  }
  if (!fromStdin) return undefined;
  const data = await io.stdin();
  if (data.length > MAX_SECRET_BYTES)
    throw usageError(`The ${what} on standard input is over 64 KiB.`, `${optionBase}-stdin`);
  return data.toString('utf8').replace(/\r?\n$/, '');
}

export function positiveId(value: string | undefined, what = 'certificate id'): number {
  if (value === undefined) throw usageError(`Give the ${what}.`);
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1)
    throw new AppError('INVALID_ID', `"${value}" is not a valid ${what}.`);
  return Number(value);
}

export interface CliStores {
  db: Db;
  certificates: CertificateStore;
  certificateQueries: CertificateQueries;
  csrs: CsrStore;
  intermediates: IntermediateStore;
  trustAnchors: TrustAnchorStore;
  /** Only when opened with keys: true (the KEK file is read). */
  privateKeys: PrivateKeyStore | null;
  settings: SettingsService;
  /** Records an audit entry with the actor 'cli'. */
  audit(action: string, target: string | number | null, details: Record<string, unknown>): void;
  close(): void;
}

/**
 * Opens the server's own database and KEK. Refuses (exit 1) when the data directory holds no certdesk
 * database: a command run from the wrong directory must not quietly start a second, empty inventory.
 */
export function openStores(config: Config, opts: { keys: boolean }): CliStores {
  const dbFile = path.join(config.dataDir, 'certdesk.db');
  if (!fs.existsSync(dbFile)) {
    throw new Error(
      `No certdesk database in ${config.dataDir}. Start the server once (npm start) or set CERTDESK_DATA_DIR to its data directory.`,
    );
  }
  if (opts.keys && !fs.existsSync(path.join(config.dataDir, 'kek.key'))) {
    // Creating a fresh KEK here would make every stored key unreadable.
    throw new Error(
      `The key-encryption key ${path.join(config.dataDir, 'kek.key')} is missing: stored private keys cannot be read.`,
    );
  }
  const db = openDatabase(config.dataDir);
  try {
    const audit = new AuditService(new AuditLogStore(db));
    const kv = new KvStore(db);
    return {
      db,
      certificates: new CertificateStore(db),
      certificateQueries: new CertificateQueries(db),
      csrs: new CsrStore(db),
      intermediates: new IntermediateStore(db),
      trustAnchors: new TrustAnchorStore(db),
      privateKeys: opts.keys ? new PrivateKeyStore(db, KeyEncryption.open(config.dataDir)) : null,
      settings: new SettingsService({
        db,
        kv,
        audit,
        defaults: () => defaultServerSettings(config.httpPort, config.httpsPort, config.portsFromEnvironment),
      }),
      audit: (action, target, details) => audit.record(null, { actor: 'cli', action, target, details }),
      close: () => db.close(),
    };
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Runs a command body and turns what it throws into an exit code: a CertError, or an AppError whose
 * code the API answers with a 4xx → 2 (CODE: sentence on stderr, or the API's JSON error body on stdout
 * with --json); anything else → 1.
 */
export async function withExitCodes(
  name: string,
  json: boolean,
  body: () => Promise<number>,
): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof CertError || (err instanceof AppError && err.statusCode < 500)) {
      if (json) print(JSON.stringify({ code: err.code, message: err.message, ...err.details }, null, 2));
      printErr(`certdesk ${name}: ${err.code}: ${err.message}`);
      if (err.code === 'USAGE_ERROR') printErr(`Run "certdesk ${name} --help" for the options.`);
      return 2;
    }
    printErr(`certdesk ${name}: ${(err as Error).message}`);
    return 1;
  }
}

/** The first --json among the raw args, read before parsing so even a usage error answers in JSON. */
export const wantsJson = (args: string[]): boolean => args.includes('--json');

/**
 * Writes a file atomically (temp file in the same directory, then rename). A secret gets exactly 0600
 * from the moment it exists: an existing file's looser permissions never carry over to a key written
 * over it. Other files get 0666 less the umask, as any tool would create them.
 */
export function writeFileAtomic(file: string, body: Buffer, secret: boolean): void {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, 'wx', secret ? 0o600 : 0o666);
  try {
    if (secret) fs.fchmodSync(fd, 0o600);
    fs.writeFileSync(fd, body);
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
