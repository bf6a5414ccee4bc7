import fs from 'node:fs';
import path from 'node:path';
import { type Command, openStores } from './common.js';

/** `certdesk reset-https`: the way back in when HTTPS mode locks the administrator out. */
export const resetHttpsCommand: Command = {
  summary: 'Turn HTTPS mode off and serve the console over HTTP again (server running or stopped).',
  run(_args, config) {
    if (!fs.existsSync(path.join(config.dataDir, 'certdesk.db'))) {
      console.log(`No certdesk database in ${config.dataDir}: the console already starts in HTTP mode.`);
      return 0;
    }
    const stores = openStores(config, { keys: false });
    try {
      const { before, hadPendingChange } = stores.settings.resetHttps();
      const state =
        before.httpsEnabled || hadPendingChange ? 'HTTPS mode is now off' : 'HTTPS mode was already off';
      console.log(
        `${state}. The console serves http://${config.host}:${before.httpPort}/ (a running server switches within a few seconds).`,
      );
      return 0;
    } finally {
      stores.close();
    }
  },
};
