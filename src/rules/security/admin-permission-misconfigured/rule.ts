import type { SgNode } from '@ast-grep/napi';
import { defineRule } from '../../../core/rule.js';
import type { Severity } from '../../../core/types.js';

const PERMISSION_METHOD = /^has_(view|change|add|delete|module)_permission$/;
/** `admin.ModelAdmin`, `TabularInline`, `ImportExportModelAdmin`, a project's `BaseAdmin`/`ReadOnlyAdminMixin`. */
const ADMIN_BASE = /(Admin|Inline|AdminMixin)$/;

/** The constant a method body returns when it does nothing else (docstrings and comments aside). */
function constantReturn(fn: SgNode): boolean | undefined {
  const body = fn.field('body');
  const statements = (body?.children() ?? []).filter((s) => s.isNamed() && s.kind() !== 'comment');
  const code = statements.filter((s) => !(s.kind() === 'expression_statement' && s.children()[0]?.kind() === 'string'));
  if (code.length !== 1 || code[0].kind() !== 'return_statement') return undefined;
  const value = code[0].children().find((c) => c.isNamed());
  if (value?.kind() === 'true') return true;
  if (value?.kind() === 'false') return false;
  return undefined;
}

function adminClassOf(fn: SgNode): SgNode | undefined {
  const block = fn.parent();
  const cls = block?.kind() === 'block' ? block.parent() : undefined;
  if (cls?.kind() !== 'class_definition') return undefined;
  const bases = cls.field('superclasses')?.children().filter((c) => c.isNamed() && c.kind() !== 'keyword_argument') ?? [];
  const named = ADMIN_BASE.test(cls.field('name')?.text() ?? '');
  return named || bases.some((base) => ADMIN_BASE.test(base.text().split('.').pop() ?? '')) ? cls : undefined;
}

/** Other permission methods of the same class that also return a constant. */
function siblingConstant(cls: SgNode, method: string): boolean | undefined {
  const sibling = cls.field('body')?.children().find((c) => c.kind() === 'function_definition' && c.field('name')?.text() === method);
  return sibling ? constantReturn(sibling) : undefined;
}

export default defineRule({
  meta: {
    id: 'security/admin-permission-misconfigured',
    title: 'Django admin permission hard-coded',
    area: 'security',
    severity: 'low',
    type: 'security',
    effort: 'small',
    confidence: 'medium',
    languages: ['py'],
    since: '0.1.0',
    description: 'A Django ModelAdmin has_*_permission that returns a constant: True grants every staff user, False on view locks readers out.',
    why:
      'Django checks these methods instead of the model permissions it manages per user and group. `return True` hands the ' +
      'operation to every active staff account, whatever permissions it was given (Medium for change and delete: any staff ' +
      'login can then alter or erase the records). `has_view_permission` returning False hides the records from everyone ' +
      'who only holds the view permission, and from everyone at all when `has_change_permission` is also False: the admin ' +
      'can no longer be used to inspect the data (seed 003: an audit-log admin nobody could open). Not reported: `False` ' +
      'from add or delete (the usual read-only admin), `False` from change (since Django 2.1 the detail page then renders ' +
      'read-only for users with the view permission; set the `django_before_2_1` option for older projects, where it hides ' +
      'the page as seed 003 describes), `False` from module (only hides the model from the index), and methods that look ' +
      'at `request.user`, `obj` or `super()`.',
    recommendation:
      'Let the method fall back to the default (Django\'s per-user permissions) or decide from `request.user` and `obj`. ' +
      'For a read-only admin return False from add/change/delete only and list the fields in `readonly_fields`.',
    examples: [
      {
        language: 'py',
        bad:
          'from django.contrib import admin\n\n\nclass AuditLogAdmin(admin.ModelAdmin):\n    def has_view_permission(self, request, obj=None):\n        return False\n',
        good:
          'from django.contrib import admin\n\n\nclass AuditLogAdmin(admin.ModelAdmin):\n    def has_add_permission(self, request):\n        return False\n\n    def has_delete_permission(self, request, obj=None):\n        return False\n',
      },
    ],
    references: [
      'seed 003 (admin detail view is inaccessible)',
      'Django docs: ModelAdmin.has_view_permission / has_change_permission (view-only admin since Django 2.1)',
      'No Bandit/Semgrep equivalent: Django-specific review check',
    ],
    cwe: ['CWE-285'],
    options: {
      django_before_2_1: {
        default: false,
        description: 'The project runs Django < 2.1: has_change_permission returning False also hides the detail page, so report it.',
      },
    },
  },
  fileFilter: /def has_(view|change|add|delete|module)_permission/,
  visitors: {
    py: {
      function_definition(node, context) {
        const method = node.field('name')?.text() ?? '';
        const match = PERMISSION_METHOD.exec(method);
        if (!match) return;
        const cls = adminClassOf(node);
        if (!cls) return;
        const returned = constantReturn(node);
        if (returned === undefined) return;
        const action = match[1];
        const className = cls.field('name')?.text() ?? 'this admin';
        const at = node.field('name') ?? node;
        if (returned) {
          const severity: Severity | undefined = action === 'change' || action === 'delete' ? 'medium' : undefined;
          const what = action === 'module' ? 'see this app in the admin index' : `${action} these records`;
          context.report({
            node: at,
            severity,
            message: `\`${className}.${method}\` always returns True: every staff account may ${what}, whatever permissions it was given.`,
          });
          return;
        }
        if (action === 'view') {
          const nobody = siblingConstant(cls, 'has_change_permission') === false;
          context.report({
            node: at,
            message: nobody
              ? `\`${className}.${method}\` and \`has_change_permission\` always return False: nobody can open these records in the admin.`
              : `\`${className}.${method}\` always returns False: staff with only the view permission cannot open these records in the admin.`,
          });
          return;
        }
        if (action === 'change' && context.options.django_before_2_1 === true) {
          context.report({
            node: at,
            message: `\`${className}.${method}\` always returns False: before Django 2.1 this hides the detail page from everyone, so the records cannot be inspected.`,
          });
        }
      },
    },
  },
});
