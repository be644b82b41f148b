// setup.cfg (setuptools): `install_requires` in `[options]` and the extras of
// `[options.extras_require]`, each a list of PEP 508 strings on indented continuation lines.
import { parseRequirement } from './pep508.js';
import type { DeclaredDependency, ManifestDiagnostic } from './types.js';

export function parseSetupCfg(text: string, file: string): { dependencies: DeclaredDependency[]; diagnostics: ManifestDiagnostic[]; hasMetadata: boolean } {
  const dependencies: DeclaredDependency[] = [];
  const diagnostics: ManifestDiagnostic[] = [];
  let section = '';
  let key: string | undefined;
  let hasMetadata = false;
  const add = (value: string, line: number) => {
    const clean = value.replace(/(^|\s)[#;].*$/, '').trim();
    if (!clean || !key) return;
    const inExtras = section === 'options.extras_require';
    if (!(section === 'options' && key === 'install_requires') && !inExtras) return;
    const requirement = parseRequirement(clean);
    if (!requirement) {
      diagnostics.push({ file, line, reason: `${key}: not a PEP 508 requirement: "${clean}"` });
      return;
    }
    const group = inExtras ? key : 'install_requires';
    dependencies.push({ ecosystem: 'PyPI', name: requirement.name, spec: requirement.spec, source: requirement.source, file, line, dev: false, group, ...(requirement.marker ? { marker: requirement.marker } : {}) });
  };
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const header = /^\[([^\]]+)\]\s*$/.exec(raw.trim());
    if (header && !/^\s/.test(raw)) {
      section = header[1].trim().toLowerCase();
      if (section === 'metadata') hasMetadata = true;
      key = undefined;
      return;
    }
    if (/^\s+\S/.test(raw)) {
      add(raw, line); // continuation of the current key's list
      return;
    }
    const assignment = /^([A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$/.exec(raw);
    if (assignment) {
      key = assignment[1].toLowerCase();
      add(assignment[2], line);
    } else if (raw.trim() === '') {
      // a blank line does not end a multi-line value in configparser; nothing to do
    }
  });
  return { dependencies, diagnostics, hasMetadata };
}
