// Shared rule helpers: what a Python name statically holds within one file.
import { describe, expect, it } from 'vitest';
import { pyNameValues } from '../../src/rules/_shared/static-values.js';
import { parseSource } from '../../src/parse/parse.js';

function valuesOf(source: string, name: string): string[] | undefined {
  const root = parseSource('python', source).root();
  const use = root.findAll({ rule: { kind: 'identifier', regex: `^${name}$` } }).pop()!;
  return pyNameValues(use)?.map((value) => value.text());
}

describe('pyNameValues', () => {
  it('finds the module constant a name holds', () => {
    expect(valuesOf('ORIGINS = ["*"]\nuse(ORIGINS)\n', 'ORIGINS')).toEqual(['["*"]']);
  });

  it('is not confused by a `with ... as` that only binds its target', () => {
    expect(valuesOf('HERE = "/etc/app.yml"\nwith open(HERE) as f:\n    pass\nuse(HERE)\n', 'HERE')).toEqual(['"/etc/app.yml"']);
  });

  it('gives up when the name is rebound by `as`', () => {
    expect(valuesOf('f = "a"\nwith open("x") as f:\n    pass\nuse(f)\n', 'f')).toBeUndefined();
  });
});
