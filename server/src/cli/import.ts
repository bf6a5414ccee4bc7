import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ImportReport, ImportResponse } from '@certdesk/shared';
import type { UploadedFile } from '../cert/detect.js';
import { CertError } from '../cert/errors.js';
import { fileLabel } from '../cert/file-label.js';
import { AppError } from '../errors.js';
import { createAiaFetcher } from '../net/aia-fetcher.js';
import { UPLOAD_LIMITS } from '../plugins/external/multipart.js';
import { importAuditAction, importAuditDetails } from '../services/import-audit.js';
import { importCertificate, importRepositories } from '../services/import-service.js';
import {
  type Command,
  openStores,
  parseCommandArgs,
  print,
  readSecret,
  usageError,
  wantsJson,
  withExitCodes,
} from './common.js';

/** `certdesk import`: the same import service as POST /api/certificates, reading files from disk. */

const USAGE = `<file>... [options]

Files: certificate (PEM or DER), PEM bundle, PKCS#7 (.p7b), PKCS#12 (.pfx/.p12) and private keys, in any
order; the format is read from the content. Up to ${UPLOAD_LIMITS.files} files of at most 1 MiB each.

Options:
  --password-stdin        read the .pfx / encrypted key password from standard input
  --password-env VAR      read it from the environment variable VAR
                          (never as an argument: other users see arguments in "ps")
  --chain auto|manual     auto (default): complete the chain from stored intermediates and AIA downloads;
                          manual: use only the files given
  --intermediate FILE     an intermediate certificate (repeatable; the chain files of manual mode)
  --name NAME             a label for the certificate (default: the PFX friendly name or the CN)
  --dry-run               print the pre-flight report and store nothing
  --json                  print the API's JSON answer instead of text

Exit code: 0 imported (or dry run passed), 2 refused (the code and the reason are printed), 1 unexpected error.
Example: certdesk import server.crt server.key intermediate.crt`;

const OPTIONS = {
  'password-stdin': { type: 'boolean' },
  'password-env': { type: 'string' },
  chain: { type: 'string', default: 'auto' },
  intermediate: { type: 'string', multiple: true, default: [] as string[] },
  name: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
} as const;

function readInput(file: string, role: UploadedFile['role']): UploadedFile {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new AppError('FILE_NOT_FOUND', `${file}: no such file.`, { file });
  }
  if (!stat.isFile()) throw new AppError('FILE_NOT_FOUND', `${file}: not a regular file.`, { file });
  if (stat.size > UPLOAD_LIMITS.fileSize) throw new AppError('FILE_TOO_LARGE', undefined, { file });
  return { name: fileLabel(path.basename(file), 'upload'), data: fs.readFileSync(file), role };
}

const MARK = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' } as const;

/** The pre-flight report as text: every check, the chain, what was left out and why. */
export function printReport(report: ImportReport): void {
  print('Pre-flight report:');
  for (const c of report.checks) print(`  ${MARK[c.status]}  ${c.title}: ${c.message}`);
  print('Chain (leaf first; the anchor is not sent to clients):');
  for (const c of report.chain) {
    print(`  ${c.role.padEnd(12)}  ${c.subject}  (until ${c.notAfter.slice(0, 10)}, from ${c.source})`);
  }
  if (report.dropped.length) {
    print('Left out:');
    for (const d of report.dropped) print(`  ${d.file}: ${d.subject}: ${d.reason}`);
  }
  for (const n of report.notes) print(`Note: ${n}`);
  if (report.key.description) print(`Private key: ${report.key.description}`);
}

function printResult(result: ImportResponse): void {
  printReport(result.report);
  const label = result.certificate.name ?? result.certificate.commonName ?? result.certificate.subject;
  const stored = result.alreadyStored;
  if (result.dryRun && stored && !stored.addsKey)
    print(`Dry run: "${label}" is already stored as certificate ${stored.id}; nothing to import.`);
  else if (result.dryRun) print(`Dry run: the import would succeed for "${label}"; nothing was stored.`);
  else if (stored) print(`Private key added to certificate ${result.id} ("${label}").`);
  else print(`Imported as certificate ${result.id} ("${label}").`);
}

export const importCommand: Command = {
  summary:
    'Import a certificate with its key and chain (PEM, DER, bundle, .p7b, .pfx), with the pre-flight report.',
  usage: USAGE,
  run: (args, config) =>
    withExitCodes('import', wantsJson(args), async () => {
      const { values, positionals } = parseCommandArgs(args, () =>
        parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }),
      );
      if (positionals.length === 0) throw usageError('Give at least one file to import.');
      if (values.chain !== 'auto' && values.chain !== 'manual')
        throw usageError('--chain must be "auto" or "manual".', '--chain');
      const chainMode = values.chain;
      const files = [
        ...positionals.map((f) => readInput(f, 'file')),
        ...values.intermediate.map((f) => readInput(f, 'intermediate')),
      ];
      if (files.length > UPLOAD_LIMITS.files) {
        throw new AppError('PAYLOAD_TOO_LARGE', `At most ${UPLOAD_LIMITS.files} files per import.`);
      }
      const password =
        (await readSecret('password', values['password-stdin'], values['password-env'], '--password')) ?? '';
      const stores = openStores(config, { keys: true });
      try {
        const settings = stores.settings.serverSettings();
        let result: ImportResponse;
        try {
          result = await importCertificate(
            {
              files,
              password,
              chainMode,
              name: values.name?.trim().slice(0, 200) || null,
              dryRun: values['dry-run'],
            },
            {
              ...importRepositories({ ...stores, privateKeys: stores.privateKeys! }),
              serverNames: settings.serverNames,
              fetcher: createAiaFetcher({
                allowPrivate: settings.aiaAllowPrivate,
                ports: config.aiaPorts,
                ownPorts: () => [config.httpPort, config.httpsPort, settings.httpPort, settings.httpsPort],
              }),
            },
          );
        } catch (err) {
          // A refusal by the report: show the whole report, then the code and sentence (withExitCodes).
          const report =
            err instanceof CertError ? (err.details.report as ImportReport | undefined) : undefined;
          if (report && !values.json) printReport(report);
          throw err;
        }
        if (!result.dryRun)
          stores.audit(importAuditAction(result), result.id, importAuditDetails(result, chainMode));
        if (values.json) print(JSON.stringify(result, null, 2));
        else printResult(result);
        return 0;
      } finally {
        stores.close();
      }
    }),
};
