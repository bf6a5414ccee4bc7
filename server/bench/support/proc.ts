import { type ChildProcess, execFile, type SpawnOptions, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

export const run = promisify(execFile);

/** Cores for the server under test and for the load generator: apart, so neither measures the other. */
export const SERVER_CORE = 0;
export const CLIENT_CORE = os.cpus().length > 1 ? 1 : 0;

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

export async function waitForPort(port: number, child?: ChildProcess, seconds = 30): Promise<void> {
  for (let i = 0; i < seconds * 10; i++) {
    if (child && child.exitCode !== null) throw new Error(`the process exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.destroy();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`nothing listens on port ${port}`);
}

/** Starts a command pinned to one core (taskset execs it: the pid is the command's own). */
export function spawnPinned(
  core: number,
  command: string,
  args: string[],
  options: SpawnOptions = {},
): ChildProcess {
  return spawn('taskset', ['-c', String(core), command, ...args], options);
}

/** USER_HZ: the unit of the CPU times in /proc/<pid>/stat (100 on Linux; `getconf CLK_TCK`). */
const TICKS = 100;

function statOf(pid: number): { ppid: number; cpu: number } | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / TICKS };
  } catch {
    return null;
  }
}

/**
 * CPU seconds (user + system) spent so far by a process and its descendants (nginx: master and worker),
 * from /proc/<pid>/stat; every thread of a process is included (Node's libuv pool too).
 */
export function cpuSeconds(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = statOf(Number(entry));
    if (!s) continue;
    const list = children.get(s.ppid) ?? [];
    list.push(Number(entry));
    children.set(s.ppid, list);
  }
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    total += statOf(p)?.cpu ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

/** Stops a child and waits for it (SIGTERM, then SIGKILL after 5 s). */
export async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export interface WrkResult {
  rps: number;
  requests: number;
  errors: number;
  raw: string;
}

export function parseWrk(stdout: string): WrkResult {
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0),
    requests: Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0),
    errors: (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0) + non2xx,
    raw: stdout,
  };
}
