// The catalog: declarative YAML rules run through the same engine as programmatic ones, and a
// broken rule is an error that names its file and the problem.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog, RuleLoadError } from '../../src/engine/catalog.js';
import { buildDispatchTable } from '../../src/engine/dispatch.js';
import { runAudit } from '../../src/engine/audit.js';
import { makeTree, runCli } from '../helpers.js';

const META = `
title: Debug flag left on
area: security
severity: medium
type: security
effort: small
confidence: high
since: 0.1.0
description: A web app started with debug mode switched on by a literal flag.
why: Debug mode exposes an interactive console and stack traces to anyone who can reach the server.
recommendation: Read the flag from the environment and default it to off.
examples:
  - language: py
    bad: "app.run(debug=True)\\n"
    good: "app.run(debug=os.environ.get('DEBUG') == '1')\\n"
references: [Bandit B201]
`;

function ruleDir(files: Record<string, string>): string {
  const root = makeTree({});
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const DECLARATIVE = `id: security/flask-debug
languages: [py, ts]
${META}
message: "Debug mode is on: $APP.run(debug=$FLAG)"
match:
  py:
    rule:
      pattern: $APP.run($$$ARGS)
      has:
        kind: keyword_argument
        regex: ^debug\\s*=\\s*True$
        stopBy: end
    constraints:
      APP:
        regex: ^app$
  ts:
    rule:
      pattern: app.set('debug', true)
`;

describe('declarative rules', () => {
  it('are loaded, keyed by the node kind of their pattern, and run with constraints', async () => {
    const rulesDir = ruleDir({ 'security/flask-debug/rule.yml': DECLARATIVE });
    const catalog = await loadCatalog([rulesDir]);
    const rule = catalog.byId.get('security/flask-debug')!;
    expect(rule.kind).toBe('declarative');
    const table = buildDispatchTable([rule], 'python');
    expect([...table.byKind.keys()]).toEqual(['call']);
    expect(table.unkeyed).toEqual([]);
    expect([...buildDispatchTable([rule], 'typescript').byKind.keys()]).toEqual(['call_expression']);

    const project = makeTree({
      'app.py': 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\nother.run(debug=True)\napp.run(debug=False)\n',
      'server.js': "app.set('debug', true);\napp.set('debug', false);\n",
      'probity.config.json': JSON.stringify({ rulesDirs: [rulesDir] }),
    });
    const result = await runAudit({ root: project, config: { rulesDirs: [rulesDir] }, jobs: 1, cache: false });
    const found = result.findings.filter((f) => f.ruleId === 'security/flask-debug');
    expect(found.map((f) => [f.file, f.line, f.message])).toEqual([
      ['app.py', 3, 'Debug mode is on: app.run(debug=$FLAG)'],
      ['server.js', 1, 'Debug mode is on: $APP.run(debug=$FLAG)'],
    ]);

    // Through the CLI too, where the config file names the extra rules folder.
    const run = runCli(['audit', project, '--format', 'json', '--fail-on', 'none']);
    expect(JSON.parse(run.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toContain('security/flask-debug');
  });
});

describe('preview rules', () => {
  it('run only when enabled by id, area or config', async () => {
    const rulesDir = ruleDir({ 'security/flask-debug/rule.yml': DECLARATIVE.replace('languages: [py, ts]', 'languages: [py, ts]\nstatus: preview') });
    const project = makeTree({ 'app.py': 'app.run(debug=True)\n' });
    const ids = async (options: { enable?: string[]; on?: boolean }) => {
      const config = { rulesDirs: [rulesDir], ...(options.on ? { rules: { 'security/flask-debug': 'on' as const } } : {}) };
      const result = await runAudit({ root: project, config, enable: options.enable, jobs: 1, cache: false });
      return result.findings.map((f) => f.ruleId);
    };
    expect(await ids({})).toEqual([]);
    expect(await ids({ enable: ['security/flask-debug'] })).toEqual(['security/flask-debug']);
    expect(await ids({ enable: ['security'] })).toEqual(['security/flask-debug']);
    expect(await ids({ on: true })).toEqual(['security/flask-debug']);
  });
});

describe('broken rules', () => {
  async function problemsOf(files: Record<string, string>): Promise<string> {
    const dir = ruleDir(files);
    const error = await loadCatalog([dir]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RuleLoadError);
    return (error as Error).message.replaceAll(dir, '<rules>');
  }

  it('names the file and the metadata field', async () => {
    const message = await problemsOf({ 'security/flask-debug/rule.yml': DECLARATIVE.replace('severity: medium', 'severity: urgent') });
    expect(message).toMatch(/<rules>\/security\/flask-debug\/rule\.yml: severity: Invalid option/);
  });

  it('rejects an id that does not match its folder', async () => {
    const message = await problemsOf({ 'security/debug/rule.yml': DECLARATIVE });
    expect(message).toContain('<rules>/security/debug/rule.yml: id "security/flask-debug" must match its folder "security/debug"');
  });

  it('reports YAML syntax errors and a language without a match section', async () => {
    expect(await problemsOf({ 'security/flask-debug/rule.yml': `${DECLARATIVE}\n  bad: [` })).toMatch(/rule\.yml: YAML syntax error/);
    const noTs = DECLARATIVE.replace(/ {2}ts:\n(.*\n)*/, '');
    expect(await problemsOf({ 'security/flask-debug/rule.yml': noTs })).toMatch(/languages: "ts" has no match section/);
  });

  it('reports an invalid file filter and a folder without a rule file', async () => {
    expect(await problemsOf({ 'security/flask-debug/rule.yml': `${DECLARATIVE}filter: "([a-z"\n` })).toMatch(/filter: Invalid regular expression/);
    expect(await problemsOf({ 'security/empty/README.md': 'nothing here' })).toMatch(/empty: rule folder without rule\.yml or rule\.ts/);
  });

  it('makes the CLI exit 2 with the list of problems', () => {
    const dir = ruleDir({ 'security/flask-debug/rule.yml': DECLARATIVE.replace('area: security', 'area: secrets') });
    const project = makeTree({ 'a.py': 'x = 1\n', 'probity.config.json': JSON.stringify({ rulesDirs: [dir] }) });
    const run = runCli(['audit', project]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/invalid rule definitions:\n.*rule\.yml: area: Invalid option/);
  });
});
