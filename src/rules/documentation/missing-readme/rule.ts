import { defineRule } from '../../../core/rule.js';

/** Root README names, in the order a reader's eye (and GitHub) picks them. */
const README_NAMES = ['README.md', 'README', 'README.rst', 'README.txt', 'README.markdown', 'README.adoc', 'Readme.md', 'readme.md', 'readme.rst', 'readme.txt'];
/** A heading that introduces how to set up or run the project. */
const SETUP_HEADING = /^(#{1,4}\s*|=+\s*$|-+\s*$)?.*\b(install\w*|setup|set up|getting started|quick ?start|usage|run(ning)?|develop\w*|build(ing)?|deploy\w*|local development)\b/im;
/** A command block: a fenced or indented shell line that installs, builds or starts something. */
const COMMAND = /^\s*(\$\s*)?(npm|npx|pnpm|yarn|bun|pip|pipx|uv|poetry|python3?|docker( compose)?|docker-compose|make|go|cargo|mvn|gradle|\.\/\w+|node)\s+\S/m;

export default defineRule({
  meta: {
    id: 'documentation/missing-readme',
    title: 'README missing or without setup instructions',
    area: 'documentation',
    severity: 'medium',
    type: 'enhancement',
    effort: 'small',
    confidence: 'high',
    languages: ['repo'],
    status: 'preview',
    since: '0.1.0',
    description: 'The repository has no README at its root, or one that never says how to install, configure or run the project.',
    why:
      'The README is the first thing a new developer, an on-call engineer or an auditor opens. Without one, or with one ' +
      'that only names the project, every newcomer reverse-engineers the setup from Dockerfiles and CI scripts, and the ' +
      'steps that were never written down (environment variables, migrations, seed data) are the ones that get missed. ' +
      'Reported: no `README`, `README.md`, `README.rst`, `README.txt` or `README.adoc` at the root; or a README with neither ' +
      'a section about installing, setting up, running, using, building or deploying, nor a command block (`npm ci`, ' +
      '`pip install`, `docker compose up`, `make`…). Not reported: a README that has either.',
    recommendation:
      'Add a README at the root with at least: what the project is, a quick start (the exact commands from a fresh clone ' +
      'to a running service and to a green test run), the configuration it needs (environment variables, with an ' +
      '`.env.example`), and where to go next (architecture notes, contributing).',
    examples: [
      {
        language: 'text',
        bad: '# shop-platform\n\nThe shop.\n',
        good: '# shop-platform\n\n## Quick start\n\n```sh\ncp .env.example .env\ndocker compose up --build\n```\n',
      },
    ],
    // Preview: repository rules are new (the project-level hook); on by `--enable <id>` until the project model settles.
    references: ['REPORTS.md / seed 000 (documentation section)', 'https://www.makeareadme.com/'],
  },
  onProject(context) {
    // README.md is documentation, not audited code, so it is looked up rather than taken from `files`.
    const readme = README_NAMES.map((path) => ({ path })).find(({ path }) => context.exists(path));
    if (!readme) {
      context.report({ message: 'No README at the repository root: nothing tells a newcomer what this is or how to set it up and run it.' });
      return;
    }
    const text = context.read(readme.path) ?? '';
    if (SETUP_HEADING.test(text) || COMMAND.test(text)) return;
    context.report({
      path: readme.path,
      line: 1,
      message: `\`${readme.path}\` says nothing about installing, configuring or running the project: no setup/usage section and no command to start from.`,
    });
  },
});
