// Command-line entry: parses arguments, runs a command, maps errors to exit codes. The only
// layer that prints or exits.
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../config/load.js';
import { FAIL_ON } from '../config/schema.js';
import { AuditInputError, probityVersion } from '../engine/audit.js';
import { RuleLoadError } from '../engine/catalog.js';
import { FORMATS } from '../report/index.js';
import { auditCommand } from './commands/audit.js';
import { planCommand } from './commands/plan.js';
import { rulesCommand } from './commands/rules.js';
import { EXIT_ERROR, UsageError } from './errors.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('probity')
    .description('Audit a Python or TypeScript codebase: security, reliability, performance and code quality findings.')
    .version(probityVersion(), '-v, --version')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('audit')
    .description('audit a folder (default: the current directory)')
    .argument('[path]', 'folder or file to audit')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...FORMATS]).default('terminal'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity (default: high)').choices([...FAIL_ON]))
    .option('--include <glob>', 'audit only files matching (gitignore syntax; repeatable, comma-separated)', collect)
    .option('--exclude <glob>', 'skip files matching (gitignore syntax; repeatable, comma-separated)', collect)
    .option('--enable <rule>', 'enable a rule or area, also preview rules (repeatable, comma-separated)', collect)
    .option('--disable <rule>', 'disable a rule or area (repeatable, comma-separated)', collect)
    .option('--only <rule>', 'run only these rules or areas, also preview ones (repeatable, comma-separated)', collect)
    .option('-c, --config <file>', 'configuration file (default: probity.config.json, .probityrc.json, package.json#probity or pyproject [tool.probity] in the audited folder)')
    .option('-j, --jobs <n>', 'worker threads (default: number of cores)')
    .option('--no-color', 'plain terminal output')
    .option('--no-progress', 'no progress line on stderr')
    .option('--no-cache', 'ignore and do not update the result cache in <path>/.probity/cache/')
    .option('--timing', 'print the time spent per rule (and parsing) on stderr; disables the cache')
    .option('--history [commits]', 'also scan the lines added by the last N commits (default 100) for secrets, even ones deleted since')
    .option('--offline', 'no network: skip the advisory (OSV) and latest-version (npm, PyPI) lookups and say so in the report')
    .option('--advisories <dir>', 'folder of OSV advisory records (JSON or YAML) to use instead of the OSV API')
    .action(async (path: string | undefined, options) => setExit(await auditCommand(path, options)));

  program
    .command('plan')
    .description('write an audit plan (AUDIT_PLAN.md) for a folder: parts per component, checklists, execution order')
    .argument('[path]', 'folder to audit and plan (default: the current directory)')
    .option('--from <audit.json>', 'build the plan from a saved `probity audit --format json` result instead of auditing')
    .option('-o, --output <file>', 'write the plan to a file instead of stdout')
    .option('-c, --config <file>', 'configuration file (default: found in the audited folder)')
    .option('--no-progress', 'no progress line on stderr')
    .option('--no-cache', 'ignore and do not update the result cache in <path>/.probity/cache/')
    .action(async (path: string | undefined, options) => setExit(await planCommand(path, options)));

  program
    .command('rules')
    .description('list the rule catalog')
    .option('--docs <dir>', 'write one Markdown page per rule (and an index) into <dir>')
    .addOption(new Option('--format <format>', 'list format').choices(['table', 'json']).default('table'))
    .action(async (options) => setExit(await rulesCommand(options)));

  return program;
}

export async function main(argv: string[]): Promise<void> {
  let exitCode = 0;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; argument errors were already printed.
      exitCode = error.exitCode === 0 ? 0 : EXIT_ERROR;
    } else if (error instanceof UsageError || error instanceof ConfigError || error instanceof AuditInputError || error instanceof RuleLoadError) {
      process.stderr.write(`probity: ${error.message}\n`);
      exitCode = EXIT_ERROR;
    } else {
      process.stderr.write(`probity: internal error: ${(error as Error).stack ?? String(error)}\n`);
      exitCode = EXIT_ERROR;
    }
  }
  process.exitCode = exitCode;
}
