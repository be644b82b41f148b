#!/usr/bin/env node
import('../dist/cli/main.js').then((m) => m.main(process.argv)).catch((error) => {
  process.stderr.write(`probity: ${error?.stack ?? error}\n`);
  process.exit(2);
});
