// Pipfile (pipenv): `[packages]` and `[dev-packages]`, values `"*"`, a PEP 440 specifier, or a
// table with `version`, `git`, `path`, `file`.
import { parse as parseToml } from 'smol-toml';
import { tomlKeyLine, tomlTableLine } from './lines.js';
import { normalisePypiName } from './pypi-name.js';
import type { DeclaredDependency, DependencySource, ManifestDiagnostic } from './types.js';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function parsePipfile(text: string, file: string): { dependencies: DeclaredDependency[]; diagnostics: ManifestDiagnostic[] } {
  let toml: Record<string, unknown>;
  try {
    toml = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    return { dependencies: [], diagnostics: [{ file, reason: `invalid TOML: ${(error as Error).message.split('\n')[0]}` }] };
  }
  const lines = text.split(/\r?\n/);
  const dependencies: DeclaredDependency[] = [];
  for (const [table, dev] of [['packages', false], ['dev-packages', true]] as const) {
    const entries = toml[table];
    if (!isRecord(entries)) continue;
    const from = tomlTableLine(lines, table);
    for (const [rawName, value] of Object.entries(entries)) {
      let spec = '';
      let source: DependencySource = 'registry';
      if (typeof value === 'string') spec = value.trim();
      else if (isRecord(value)) {
        if (typeof value.git === 'string') source = 'vcs';
        else if (typeof value.path === 'string') source = value.editable === true ? 'editable' : 'path';
        else if (typeof value.file === 'string') source = 'url';
        else if (typeof value.version === 'string') spec = value.version.trim();
      }
      // Pipenv writes "*" for "any version"; it means the same as no specifier.
      if (spec === '*') spec = '';
      dependencies.push({ ecosystem: 'PyPI', name: normalisePypiName(rawName), spec, source, file, line: tomlKeyLine(lines, rawName, from), dev, group: table });
    }
  }
  return { dependencies, diagnostics: [] };
}
