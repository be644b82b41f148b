// pip requirements files: one requirement per logical line (backslash continuations joined),
// comments, `-r`/`-c` includes (resolved relative to the including file by the collector),
// `--hash` options, environment markers, and lines that name no version at all (URLs, VCS
// checkouts, `-e` editables, local paths), which are recorded as such.
import { parseRequirement } from './pep508.js';
import { normalisePypiName } from './pypi-name.js';
import type { DeclaredDependency, ManifestDiagnostic } from './types.js';

export interface RequirementsInclude {
  /** As written (relative to the including file's folder). */
  target: string;
  /** `-c`: a constraints file (versions only, installs nothing by itself). */
  constraint: boolean;
  line: number;
}

export interface ParsedRequirements {
  dependencies: DeclaredDependency[];
  includes: RequirementsInclude[];
  diagnostics: ManifestDiagnostic[];
}

/** Files of development tools, not of the running application. */
export function isDevRequirementsFile(path: string): boolean {
  return /(^|[/_.-])(dev|develop|development|test|tests|testing|lint|linting|docs?|ci|typing|mypy|style|check|qa|tox)([/_.-]|$)/i.test(path);
}

interface LogicalLine {
  text: string;
  line: number;
}

function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let pending: LogicalLine | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    // A comment starts at `#` at the line start or after whitespace (a URL fragment `#egg=` is not one).
    const clean = raw.replace(/(^|\s)#.*$/, '').trimEnd();
    const continued = clean.endsWith('\\');
    const part = continued ? clean.slice(0, -1) : clean;
    if (pending) pending.text += ` ${part.trim()}`;
    else pending = { text: part.trim(), line: index + 1 };
    if (!continued) {
      if (pending.text.trim()) out.push(pending);
      pending = undefined;
    }
  });
  if (pending?.text.trim()) out.push(pending);
  return out;
}

const INCLUDE = /^(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+)(\S+)/;
const EDITABLE = /^(-e|--editable)(?:\s*=\s*|\s+)(\S+)/;
/** Options that configure pip (indexes, find-links, global flags), not dependencies. */
const PIP_OPTION = /^-/;
const EGG = /#egg=([A-Za-z0-9._-]+)/;
const VCS = /^(git|hg|svn|bzr)\+/;

export function parseRequirements(text: string, file: string): ParsedRequirements {
  const dependencies: DeclaredDependency[] = [];
  const includes: RequirementsInclude[] = [];
  const diagnostics: ManifestDiagnostic[] = [];
  const dev = isDevRequirementsFile(file);
  const group = dev ? 'dev' : 'requirements';
  for (const { text: content, line } of logicalLines(text)) {
    // Per-requirement options (`--hash=sha256:…`, `--config-settings`) follow the requirement.
    const body = content.replace(/\s+--(hash|config-settings|global-option|install-option)(=|\s+)\S+/g, '').trim();
    const include = INCLUDE.exec(body);
    if (include) {
      includes.push({ target: include[2], constraint: include[1].startsWith('-c') || include[1] === '--constraint', line });
      continue;
    }
    const editable = EDITABLE.exec(body);
    if (editable) {
      const egg = EGG.exec(editable[2]);
      if (egg) dependencies.push({ ecosystem: 'PyPI', name: normalisePypiName(egg[1]), spec: '', source: 'editable', file, line, dev, group });
      continue; // `-e .` installs the project itself
    }
    if (PIP_OPTION.test(body)) continue;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(body) || VCS.test(body) || /^(\.|\/|~)/.test(body)) {
      const egg = EGG.exec(body);
      if (egg) {
        const source = VCS.test(body) ? 'vcs' : body.startsWith('file:') || /^(\.|\/|~)/.test(body) ? 'path' : 'url';
        dependencies.push({ ecosystem: 'PyPI', name: normalisePypiName(egg[1]), spec: '', source, file, line, dev, group });
      }
      continue; // a URL or path without a name installs something no registry versions
    }
    const requirement = parseRequirement(body);
    if (!requirement) {
      diagnostics.push({ file, line, reason: `not a requirement pip understands: "${body.slice(0, 80)}"` });
      continue;
    }
    dependencies.push({
      ecosystem: 'PyPI',
      name: requirement.name,
      spec: requirement.spec,
      source: requirement.source,
      file,
      line,
      dev,
      group,
      ...(requirement.marker ? { marker: requirement.marker } : {}),
    });
  }
  return { dependencies, includes, diagnostics };
}
