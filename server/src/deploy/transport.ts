/**
 * Where a deployment writes and runs its hook: this machine (local files, child_process without a shell)
 * or another server (SFTP + exec over SSH). The deploy service runs the same transaction over either:
 * write every file beside its final name, swap them in, run the hook, check the served certificate, and on
 * any failure put every previous file back and run the hook again.
 */

export interface FileToWrite {
  /** Absolute path on the target. */
  path: string;
  data: Buffer;
  /** Permission bits, e.g. 0o640. Keys default to 0o600, certificates to 0o644. */
  mode: number;
  /** User and group names (or numeric ids as strings); left as they are when absent. */
  owner?: string;
  group?: string;
}

/** What a `writeFiles` replaced, enough to put every file back as it was. */
export interface WrittenFile {
  path: string;
  /** Where the previous content was kept (`<path>.certdesk-previous`), or null when the file did not exist. */
  previousPath: string | null;
}

export interface HookResult {
  exitCode: number | null;
  /** The hook was killed when its timeout ran out. */
  timedOut: boolean;
  /** The last few KiB of stdout and stderr together, for the report (never includes secrets we wrote). */
  outputTail: string;
}

export interface DeployTransport {
  /** For messages and the audit log: "this server" or "deploy@web1.example.com:22". */
  readonly description: string;
  /**
   * Replaces every file: each is written to a temporary name in its own directory, flushed (fsync), then
   * renamed over the old one, whose content is kept at `<path>.certdesk-previous`. When any file fails,
   * the files already replaced are put back before the error is thrown (AppError with a code).
   */
  writeFiles(files: FileToWrite[]): Promise<WrittenFile[]>;
  /** Puts back what `writeFiles` replaced: the previous content, or removes files that did not exist. */
  restore(written: WrittenFile[]): Promise<void>;
  /** Runs a declared hook's argv (never through a shell on this machine) with a time limit. */
  runHook(argv: string[], timeoutMs: number): Promise<HookResult>;
  close(): Promise<void>;
}
