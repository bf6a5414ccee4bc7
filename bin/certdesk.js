#!/usr/bin/env node
// `npx certdesk <command>`: a launcher for the built CLI (server/src/cli.ts → server/dist/cli.js).
import { existsSync } from 'node:fs';

const cli = new URL('../server/dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('certdesk is not built yet: run "npm run build" in the repository root first.');
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
