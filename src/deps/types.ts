// What the dependency parsers produce: every declared dependency with the place it is declared
// (file and line, so findings point at it) and, once lock files are read, the version installed.

export type Ecosystem = 'npm' | 'PyPI';

/**
 * Where a dependency comes from. Only `registry` dependencies have versions a registry or an
 * advisory database knows; the others cannot be pinned by a version specifier at all.
 */
export type DependencySource = 'registry' | 'url' | 'vcs' | 'path' | 'workspace' | 'editable';

export interface DeclaredDependency {
  ecosystem: Ecosystem;
  /** npm: as written (scopes kept); PyPI: normalised after PEP 503 (`Flask_Login` → `flask-login`). */
  name: string;
  /** The version specifier as written (`==0.68.0`, `^4.17.1`, `>=2`, `''` for a bare name). */
  spec: string;
  /** Poetry writes its own constraint syntax (`^1.2`, `~1.2`, a bare `1.2.3` meaning exactly that). */
  dialect?: 'poetry';
  source: DependencySource;
  /** The manifest, relative to the audited root. */
  file: string;
  /** 1-based line of the declaration in `file`. */
  line: number;
  /** Development-only (devDependencies, Poetry/PEP 735 dev groups, requirements-dev.txt…). */
  dev: boolean;
  /** The table, group or extra it is declared in (`dependencies`, `peerDependencies`, `test`…). */
  group: string;
  /** Environment marker (PEP 508), when the line has one. */
  marker?: string;
  /** The version a lock file (or a constraints file) beside the manifest installs. */
  locked?: string;
  /** The lock or constraints file `locked` comes from. */
  lockFile?: string;
}

export interface ManifestDiagnostic {
  file: string;
  reason: string;
  line?: number;
}

export type ManifestKind = 'requirements' | 'pyproject' | 'pipfile' | 'setup.cfg' | 'package.json';

export interface ParsedManifest {
  file: string;
  kind: ManifestKind;
  ecosystem: Ecosystem;
  dependencies: DeclaredDependency[];
  /** Whether the folder is an application (pins belong in it) rather than a published library. */
  application: boolean;
}

/** Versions a lock file installs, by package name (npm as written, PyPI normalised). */
export interface LockedVersions {
  file: string;
  ecosystem: Ecosystem;
  /** Top-level (or only) installed version per package. */
  versions: Map<string, string>;
  /** yarn.lock: `name@range` descriptor → version, for an exact match of what the manifest asks. */
  descriptors?: Map<string, string>;
}

export interface ParseResult<T> {
  value?: T;
  diagnostics: ManifestDiagnostic[];
}
