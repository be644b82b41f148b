// pyproject.toml: PEP 621 `[project].dependencies` and `optional-dependencies`, PEP 735
// `[dependency-groups]`, and Poetry's `[tool.poetry.dependencies]`, `dev-dependencies` and
// `group.<name>.dependencies` (`python` is the interpreter, not a dependency).
import { parse as parseToml } from 'smol-toml';
import { quotedLine, tomlKeyLine, tomlTableLine } from './lines.js';
import { parseRequirement } from './pep508.js';
import { normalisePypiName } from './pypi-name.js';
import type { DeclaredDependency, DependencySource, ManifestDiagnostic } from './types.js';

export interface PyprojectTables {
  project?: { name?: unknown; dependencies?: unknown; 'optional-dependencies'?: unknown };
  'build-system'?: unknown;
  'dependency-groups'?: unknown;
  tool?: {
    poetry?: {
      name?: unknown;
      'package-mode'?: unknown;
      dependencies?: unknown;
      'dev-dependencies'?: unknown;
      group?: Record<string, { dependencies?: unknown; optional?: unknown }>;
    };
    pdm?: unknown;
    uv?: unknown;
  };
}

export interface ParsedPyproject {
  tables: PyprojectTables;
  dependencies: DeclaredDependency[];
  diagnostics: ManifestDiagnostic[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function parsePyproject(text: string, file: string): ParsedPyproject {
  let tables: PyprojectTables;
  try {
    tables = parseToml(text) as PyprojectTables;
  } catch (error) {
    return { tables: {}, dependencies: [], diagnostics: [{ file, reason: `invalid TOML: ${(error as Error).message.split('\n')[0]}` }] };
  }
  const lines = text.split(/\r?\n/);
  const dependencies: DeclaredDependency[] = [];
  const diagnostics: ManifestDiagnostic[] = [];
  const pep508List = (list: unknown, table: string, group: string, dev: boolean) => {
    if (list === undefined) return;
    if (!Array.isArray(list)) {
      diagnostics.push({ file, reason: `${table}: expected an array of requirement strings` });
      return;
    }
    const from = tomlTableLine(lines, table.split('.').slice(0, -1).join('.') || table);
    for (const entry of list) {
      if (typeof entry !== 'string') continue; // PEP 735 `{include-group = …}` tables include other groups
      const requirement = parseRequirement(entry);
      const line = quotedLine(lines, entry, from);
      if (!requirement) {
        diagnostics.push({ file, line, reason: `${table}: not a PEP 508 requirement: "${entry}"` });
        continue;
      }
      dependencies.push({ ecosystem: 'PyPI', name: requirement.name, spec: requirement.spec, source: requirement.source, file, line, dev, group, ...(requirement.marker ? { marker: requirement.marker } : {}) });
    }
  };
  pep508List(tables.project?.dependencies, 'project.dependencies', 'dependencies', false);
  const optional = tables.project?.['optional-dependencies'];
  if (isRecord(optional)) for (const [extra, list] of Object.entries(optional)) pep508List(list, `project.optional-dependencies.${extra}`, extra, false);
  const groups = tables['dependency-groups'];
  if (isRecord(groups)) for (const [group, list] of Object.entries(groups)) pep508List(list, `dependency-groups.${group}`, group, true);

  const poetry = tables.tool?.poetry;
  if (isRecord(poetry)) {
    poetryTable(poetry.dependencies, 'tool.poetry.dependencies', 'dependencies', false);
    poetryTable(poetry['dev-dependencies'], 'tool.poetry.dev-dependencies', 'dev', true);
    if (isRecord(poetry.group)) {
      for (const [group, table] of Object.entries(poetry.group)) {
        // Poetry's `main` group is the runtime one; every other group is for development.
        if (isRecord(table)) poetryTable(table.dependencies, `tool.poetry.group.${group}.dependencies`, group, group !== 'main');
      }
    }
  }
  return { tables, dependencies, diagnostics };

  function poetryTable(table: unknown, path: string, group: string, dev: boolean) {
    if (!isRecord(table)) return;
    const from = tomlTableLine(lines, path);
    for (const [rawName, value] of Object.entries(table)) {
      if (rawName.toLowerCase() === 'python') continue;
      const line = tomlKeyLine(lines, rawName, from);
      // Several constraints for one package (per Python version) are a list of tables.
      const first = Array.isArray(value) ? value[0] : value;
      const { spec, source } = poetrySpec(first);
      dependencies.push({ ecosystem: 'PyPI', name: normalisePypiName(rawName), spec, dialect: 'poetry', source, file, line, dev, group });
    }
  }
}

/** A Poetry constraint: a string (`^1.2`, `*`, `1.2.3`) or a table with `version`, `git`, `path`, `url`. */
function poetrySpec(value: unknown): { spec: string; source: DependencySource } {
  if (typeof value === 'string') return { spec: value.trim(), source: 'registry' };
  if (isRecord(value)) {
    if (typeof value.git === 'string') return { spec: '', source: 'vcs' };
    if (typeof value.path === 'string') return { spec: '', source: value.develop === true ? 'editable' : 'path' };
    if (typeof value.url === 'string') return { spec: '', source: 'url' };
    if (typeof value.version === 'string') return { spec: value.version.trim(), source: 'registry' };
  }
  return { spec: '', source: 'registry' };
}
