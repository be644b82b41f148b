import { defineRule } from '../../../core/rule.js';
import { textKindOf } from '../../../discover/language.js';

/** Templates that document the variables with placeholder values: meant to be committed. */
const TEMPLATE = /\.(example|sample|template|dist|defaults?|schema)$/i;

export default defineRule({
  meta: {
    id: 'security/env-file-not-ignored',
    title: '.env file not covered by .gitignore',
    area: 'security',
    severity: 'high',
    type: 'security',
    effort: 'small',
    confidence: 'high',
    languages: ['repo'],
    since: '0.1.0',
    description: 'A `.env`-style file in the tree that no `.gitignore` covers, so the next `git add .` commits its secrets.',
    why:
      'A `.env` file holds the API keys, database passwords and signing secrets of an environment. When no `.gitignore` ' +
      'covers it, one `git add .` puts them in the history for good, where anyone with read access (and every fork and ' +
      'CI log) can use them; seed 001 found live API keys committed this way. Probity honours `.gitignore` files while it ' +
      'walks the tree, so every `.env` file it sees is one git would pick up. Not reported: templates meant to be committed ' +
      '(`.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `.env.defaults`), and `.env` files a `.gitignore` covers.',
    recommendation:
      'Add `.env` and `.env.*` (with `!.env.example`) to the root `.gitignore`, check with `git status` that the file is no ' +
      'longer listed, and if it was ever committed, rotate every secret in it: removing the file does not remove it from history.',
    examples: [
      {
        language: 'text',
        bad: '# .gitignore\nnode_modules/\n# (and a .env file next to it)\n',
        good: '# .gitignore\nnode_modules/\n.env\n.env.*\n!.env.example\n',
      },
    ],
    references: ['seed 001 (API keys in a committed .env)', 'RULES.md security/env-file-not-ignored', 'CWE-538'],
    cwe: ['CWE-538'],
  },
  onProject(context) {
    for (const file of context.files) {
      const name = file.path.split('/').pop() ?? file.path;
      if (textKindOf(file.path) !== 'dotenv' || TEMPLATE.test(name)) continue;
      context.report({
        path: file.path,
        line: 1,
        message: `\`${file.path}\` is not covered by any .gitignore: the next \`git add .\` commits the secrets in it.`,
      });
    }
  },
});
