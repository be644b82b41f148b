import type { SgNode } from '@ast-grep/napi';
import { defineRule } from '../../../core/rule.js';

const ID = 'database/migration-without-downgrade';

/** Module-level `def <name>(...)`, decorated or not. */
function topLevelFunction(root: SgNode, name: string): SgNode | undefined {
  for (const child of root.children()) {
    const definition = child.kind() === 'decorated_definition' ? child.field('definition') : child;
    if (definition?.kind() === 'function_definition' && definition.field('name')?.text() === name) return definition;
  }
  return undefined;
}

/** Statements of a function body, comments left out. */
function bodyStatements(definition: SgNode): SgNode[] {
  return definition.field('body')?.children().filter((c) => c.isNamed() && c.kind() !== 'comment') ?? [];
}

/** `pass`, `...`, or a docstring: a statement that does nothing. */
function isPlaceholder(statement: SgNode): boolean {
  if (statement.kind() === 'pass_statement') return true;
  if (statement.kind() !== 'expression_statement') return false;
  const expression = statement.children().filter((c) => c.isNamed());
  return expression.length === 1 && (expression[0].kind() === 'ellipsis' || expression[0].kind() === 'string');
}

/** `raise NotImplementedError` / `raise NotImplementedError("...")`: the revision says it cannot go back. */
function raisesNotImplemented(statement: SgNode): boolean {
  return statement.kind() === 'raise_statement' && /^raise\s+NotImplementedError\b/.test(statement.text());
}

/** An Alembic revision file declares its id at module level: `revision = "ae1027a6acf"` (or `revision: str = ...`). */
function isAlembicRevision(root: SgNode): boolean {
  return root.children().some((statement) => {
    if (statement.kind() !== 'expression_statement') return false;
    const assignment = statement.children().find((c) => c.isNamed());
    return assignment?.kind() === 'assignment' && assignment.field('left')?.text() === 'revision';
  });
}

export default defineRule({
  meta: {
    id: ID,
    title: 'Migration without a downgrade',
    area: 'database',
    severity: 'low',
    type: 'bug',
    effort: 'small',
    confidence: 'high',
    languages: ['py'],
    since: '0.1.0',
    description: 'An Alembic migration changes the schema in `upgrade()` but its `downgrade()` is missing, empty or raises NotImplementedError.',
    why:
      'When a release has to be rolled back, `alembic downgrade` is the way back to the previous schema. A revision whose ' +
      'downgrade does nothing leaves the database at the new schema while the old code runs against it, or stops the rollback ' +
      'with NotImplementedError in the middle of an incident. Not reported: merge or no-op revisions (an `upgrade()` that only ' +
      '`pass`es), Django migrations (reversible by their operations), test files.',
    recommendation:
      'Write the inverse of each upgrade step in `downgrade()` (`op.drop_column` for `op.add_column`, `op.drop_table` for ' +
      '`op.create_table`…). If the change really cannot be undone (data destroyed), say so in the revision and in the release notes, ' +
      'and silence this finding with `probity-ignore[database/migration-without-downgrade]: <reason>`.',
    examples: [
      {
        language: 'py',
        bad:
          'revision = "3f1c2a9b7d10"\ndown_revision = "1a2b3c4d5e6f"\n\n\ndef upgrade():\n    op.add_column("users", sa.Column("email", sa.String(255)))\n\n\n' +
          'def downgrade():\n    pass\n',
        good:
          'revision = "3f1c2a9b7d10"\ndown_revision = "1a2b3c4d5e6f"\n\n\ndef upgrade():\n    op.add_column("users", sa.Column("email", sa.String(255)))\n\n\n' +
          'def downgrade():\n    op.drop_column("users", "email")\n',
      },
    ],
    references: ['Alembic tutorial: "Running our Second Migration" / downgrade', 'Squawk / django-migration-linter (irreversible migrations)'],
  },
  fileFilter: /def upgrade\s*\(/,
  onFile(context) {
    const root = context.root;
    if (context.file.family !== 'py' || !root || !isAlembicRevision(root)) return;
    const upgrade = topLevelFunction(root, 'upgrade');
    if (!upgrade) return;
    const upgradeSteps = bodyStatements(upgrade);
    // A merge or no-op revision has nothing to undo.
    if (upgradeSteps.every(isPlaceholder)) return;
    const downgrade = topLevelFunction(root, 'downgrade');
    if (!downgrade) {
      context.report({ node: upgrade.field('name') ?? upgrade, message: 'Migration defines `upgrade()` but no `downgrade()`: this revision cannot be rolled back.' });
      return;
    }
    const steps = bodyStatements(downgrade);
    if (steps.some((s) => !isPlaceholder(s) && !raisesNotImplemented(s))) return;
    const what = steps.some(raisesNotImplemented) ? 'only raises NotImplementedError' : 'does nothing';
    context.report({ node: downgrade.field('name') ?? downgrade, message: `\`downgrade()\` ${what} while \`upgrade()\` changes the schema: this revision cannot be rolled back.` });
  },
});
