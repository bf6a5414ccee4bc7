import { parseArgs } from 'node:util';
import type { ExportFormat } from '../cert/export.js';
import { exportAuditDetails, exportStoredCertificate } from '../services/certificate-export.js';
import {
  type Command,
  openStores,
  parseCommandArgs,
  positiveId,
  printErr,
  readSecret,
  stdoutIsTty,
  usageError,
  withExitCodes,
  writeFileAtomic,
  writeStdout,
} from './common.js';

/**
 * `certdesk export`: the export of POST /api/certificates/:id/export. The HTTP route asks for the account
 * password again before a key leaves; here the operator already holds the data directory and its KEK
 * (file permissions are the gate), so no password is asked, and the key export is audited as 'cli'.
 */

const FORMATS: ExportFormat[] = ['pem', 'chain', 'fullchain', 'der', 'key', 'pfx', 'p7b'];
const BINARY: ReadonlySet<ExportFormat> = new Set(['der', 'pfx', 'p7b']);
/** Files that carry the private key: written 0600. */
const SECRET: ReadonlySet<ExportFormat> = new Set(['key', 'pfx']);

const USAGE = `<id> --format pem|chain|fullchain|der|key|pfx|p7b [options]

Formats: pem (the certificate), chain (the intermediates), fullchain (certificate + intermediates, what a
TLS server sends), der (the certificate, binary .cer), key (PKCS#8 private key), pfx (PKCS#12 with
certificate, intermediates and key), p7b (PKCS#7 with certificate and intermediates, binary, for Windows).

Options:
  --out FILE                  write to FILE (key and pfx files are created with mode 0600);
                              without it PEM formats go to standard output; der, pfx and p7b need --out
                              ("--out -" sends them to standard output anyway)
  --pfx-password-stdin        read the password protecting the .pfx from standard input
  --pfx-password-env VAR      read it from the environment variable VAR
  --legacy                    pfx only: 3DES and a SHA-1 MAC for old Windows and Java (default AES-256)
  --key-passphrase-stdin      key only: encrypt the key with AES-256 under a passphrase from standard input
  --key-passphrase-env VAR    ... or from the environment variable VAR

Passwords are never taken as arguments: other users see arguments in "ps".
Example: certdesk export 3 --format fullchain --out /etc/ssl/example.fullchain.pem`;

const OPTIONS = {
  format: { type: 'string', short: 'f' },
  out: { type: 'string', short: 'o' },
  'pfx-password-stdin': { type: 'boolean' },
  'pfx-password-env': { type: 'string' },
  legacy: { type: 'boolean', default: false },
  'key-passphrase-stdin': { type: 'boolean' },
  'key-passphrase-env': { type: 'string' },
} as const;

export const exportCommand: Command = {
  summary: 'Export a certificate as PEM, chain, full chain, DER, private key or PFX.',
  usage: USAGE,
  run: (args, config) =>
    withExitCodes('export', false, async () => {
      const { values, positionals } = parseCommandArgs(args, () =>
        parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }),
      );
      if (positionals.length > 1)
        throw usageError(`Give one certificate id (found ${positionals.length} arguments).`);
      const id = positiveId(positionals[0]);
      const format = values.format as ExportFormat | undefined;
      if (!format || !FORMATS.includes(format))
        throw usageError(`--format must be one of ${FORMATS.join(', ')}.`, '--format');
      if (values.legacy && format !== 'pfx')
        throw usageError('--legacy applies to --format pfx only.', '--legacy');
      const givesPfx = values['pfx-password-stdin'] || values['pfx-password-env'] !== undefined;
      const givesKeyPass = values['key-passphrase-stdin'] || values['key-passphrase-env'] !== undefined;
      if (givesPfx && format !== 'pfx')
        throw usageError('A .pfx password applies to --format pfx only.', '--pfx-password');
      if (givesKeyPass && format !== 'key')
        throw usageError('A key passphrase applies to --format key only.', '--key-passphrase');
      const out = values.out;
      if (BINARY.has(format) && out === undefined) {
        throw usageError(
          `--format ${format} is binary: give --out FILE (or "--out -" to send it to standard output).`,
          '--out',
        );
      }
      if ((out === undefined || out === '-') && SECRET.has(format) && stdoutIsTty()) {
        throw usageError('Refusing to print a private key to the terminal: give --out FILE.', '--out');
      }
      const pfxPassword = await readSecret(
        '.pfx password',
        values['pfx-password-stdin'],
        values['pfx-password-env'],
        '--pfx-password',
      );
      const keyPassphrase = await readSecret(
        'key passphrase',
        values['key-passphrase-stdin'],
        values['key-passphrase-env'],
        '--key-passphrase',
      );

      const stores = openStores(config, { keys: SECRET.has(format) });
      try {
        const opts = {
          format,
          pfxPassword,
          keyPassphrase,
          pfxEncryption: values.legacy ? ('legacy' as const) : ('aes256' as const),
        };
        const { row, file, withKey } = await exportStoredCertificate(
          { certificates: stores.certificates, privateKeys: stores.privateKeys! },
          id,
          opts,
        );
        if (out === undefined || out === '-') writeStdout(file.body);
        else writeFileAtomic(out, file.body, SECRET.has(format));
        if (withKey) stores.audit('certificate.export', row.id, exportAuditDetails(row, opts));
        if (out !== undefined && out !== '-') {
          printErr(
            `Wrote ${out} (${format}, ${file.body.length} bytes${SECRET.has(format) ? ', mode 0600' : ''}).`,
          );
        }
        return 0;
      } finally {
        stores.close();
      }
    }),
};
